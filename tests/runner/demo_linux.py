#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`make demo`: Bulkhead on an emulated 4-CPU arm64 machine running two Linux
zones side by side (each prints who it is, works for a few seconds and ends
with its own exit status) and a small zone, mallory, that reads an address
outside its own RAM (where the hypervisor sits in the host's memory) while
they work, and is stopped for it. Shows the console live, each line tagged
with its zone, then what happened and how every zone ended, as the
hypervisor recorded it. Needs no terminal; exits 0 when the machine powered
itself off after every zone ended as it should."""
import argparse
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bhrun import accel, ends, qemu  # noqa: E402
from bhrun.console import LineJoiner  # noqa: E402
from bhrun.qemu import Boot  # noqa: E402

# The test harness's lines are not the demo's story.
HARNESS = re.compile(r"^\[[a-z0-9_-]+\] BULKHEAD-TEST ")
ILLEGAL = re.compile(r"zone 'mallory' vcpu \d+: illegal (read|write) at IPA (0x[0-9a-f]+)")


def story(order, illegal):
    """What happened, from the hypervisor's lines alone."""
    out = []
    if "mallory" in order and order["mallory"].state != "exited":
        where = f" ({illegal})" if illegal else ""
        still = [z for z in ("alpha", "beta") if z not in order or order[z].index > order["mallory"].index]
        when = (f", while {' and '.join(still)} {'were' if len(still) > 1 else 'was'} still working"
                if still else ", after the others had ended")
        out.append(f"mallory read an address outside its own RAM{where}, where the hypervisor sits in the host's "
                   f"memory; the read never reached it, and the hypervisor stopped mallory at that "
                   f"instruction{when}.")
    else:
        out.append("unexpected: mallory was not stopped.")
    if all(z in order for z in ("alpha", "beta")):
        out.append("alpha and beta each finished their work and ended with their own exit status.")
    return out


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
    order = {}  # zone -> ZoneEnd with the order it ended in
    illegal = []
    joiner = LineJoiner()

    def on_line(source, text):
        if source != "serial":
            print(f"qemu: {text}", flush=True)
            return False
        text = joiner.feed(text)
        if text is None or HARNESS.match(text):
            return False
        print(text, flush=True)
        hv = ends.hypervisor_text(text)
        end = ends.parse_end(hv) if hv else None
        if end and end.zone not in order:
            end.index = len(order)
            order[end.zone] = end
        m = ILLEGAL.search(text)
        if m and not illegal:
            illegal.append(f"IPA {m.group(2)}")
        return False

    cmd = qemu.command(Boot(kernel=hypervisor, initrd=manifest, smp=4, mem_mib=1024), a)
    outcome = qemu.run(cmd, args.timeout, on_line)
    print()
    for sentence in story(order, illegal[0] if illegal else None):
        print("demo: " + sentence)
    print("demo: how each zone ended:")
    for zone in ("alpha", "beta", "mallory"):
        end = order.get(zone)
        print(f"  {zone:8} {end.describe() if end else 'did not end'}")
    # The hypervisor's record of each end, from zone init's ZONE_EXIT: a zone
    # that only powered off ("PSCI SYSTEM_OFF", no status) does not count.
    ok = (not outcome.timed_out and outcome.exit_code == 0
          and "alpha" in order and (order["alpha"].state, order["alpha"].code, order["alpha"].reason) == (
              "exited", 0, "workload exit status")
          and "beta" in order and (order["beta"].state, order["beta"].code, order["beta"].reason) == (
              "exited", 3, "workload exit status")
          and "mallory" in order and order["mallory"].state == "crashed"
          # the demo's point: mallory is stopped while the others still work
          and order["mallory"].index < min(order["alpha"].index, order["beta"].index))
    print(f"demo: {'the machine powered itself off after every zone ended' if ok else 'something unexpected happened'}"
          f" ({outcome.seconds:.1f} s).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
