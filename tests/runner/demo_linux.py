#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`make demo`: Bulkhead on an emulated 4-CPU arm64 machine running two Linux
zones side by side (each prints who it is and ends with its own exit status)
and a small zone, mallory, that reads the hypervisor's memory and is stopped
for it. Shows the console live, each line tagged with its zone, then a
summary of how every zone ended. Needs no terminal; exits 0 when the machine
powered itself off after every zone ended."""
import argparse
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bhrun import accel, qemu  # noqa: E402
from bhrun.qemu import Boot  # noqa: E402

END = re.compile(r"zone '([^']+)' (exited|crashed|stopped): (.*)$")


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--build", default="build", help="the host build directory (default: build)")
    p.add_argument("--timeout", type=float, default=120)
    args = p.parse_args()
    hypervisor = os.path.join(args.build, "aarch64", "hypervisor", "bulkhead.bin")
    manifest = os.path.join(args.build, "tests", "demo", "linux-demo.dtb")
    for f in (hypervisor, manifest):
        if not os.path.exists(f):
            sys.exit(f"demo: {f} is missing; run `make build` first")
    a = accel.choose()
    print("Bulkhead demo: two Linux zones and a misbehaving zone on an emulated 4-CPU arm64 machine")
    print(f"(QEMU, {a.name}: {a.reason}). Each line carries its zone's name; [bulkhead:N] is the hypervisor on CPU N.\n")
    ends = {}

    def on_line(source, text):
        print(text if source == "serial" else f"qemu: {text}", flush=True)
        m = END.search(text)
        if m:
            ends[m.group(1)] = f"{m.group(2)}: {m.group(3)}".rstrip()
        return False

    cmd = qemu.command(Boot(kernel=hypervisor, initrd=manifest, smp=4, mem_mib=1024), a)
    outcome = qemu.run(cmd, args.timeout, on_line)
    print("\ndemo: how each zone ended:")
    for zone in ("alpha", "beta", "mallory"):
        print(f"  {zone:8} {ends.get(zone, 'did not end')}")
    # The hypervisor's record of each end, from zone init's ZONE_EXIT: a zone
    # that only powered off ("PSCI SYSTEM_OFF", no status) does not count.
    ok = (not outcome.timed_out and outcome.exit_code == 0
          and ends.get("alpha") == "exited: code 0 (workload exit status)"
          and ends.get("beta") == "exited: code 3 (workload exit status)"
          and ends.get("mallory", "").startswith("crashed"))
    print(f"demo: {'the machine powered itself off after every zone ended' if ok else 'something unexpected happened'}"
          f" ({outcome.seconds:.1f} s).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
