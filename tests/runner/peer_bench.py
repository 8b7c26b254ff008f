#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The arm64 bench guest under Bulkhead and under Xen 4.17 (dom0less), in
the same session, alternating (B, X, B, X, ...), with medians and ratios
(docs/performance.md, /work/shared/design/peers.md). Optionally bare QEMU
too. Both hypervisors get the same machine: -smp 2, 1 GiB, QEMU TCG
`-M virt,virtualization=on,gic-version=3 -cpu max`; the guest's two vCPUs
run on the two CPUs. Prints numbers; decides nothing.

  peer_bench.py --hypervisor build/aarch64/hypervisor/bulkhead.bin \\
      --manifest build/aarch64/tests/scenarios/bench-peer.dtb \\
      --xen XEN_IMAGE --xen-dtb XEN_DTB \\
      --xen-guest build/aarch64/tests/guests/aarch64/bench-xen.bin [--rounds 3]

XEN_IMAGE is Debian's xen-hypervisor-4.17-arm64 `boot/xen-4.17-arm64`;
XEN_DTB the QEMU virt DTB with peers.md's `chosen` node (domU1 with 2
vCPUs, 256 MiB, vpl011, its kernel module at 0x50000000)."""
import argparse
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bhrun import qemu  # noqa: E402

BENCH = re.compile(r"BULKHEAD-BENCH (\S+) (\d+) ns")
DONE = re.compile(r"BULKHEAD-TEST bench: (\w+)")


def run_once(cmd, timeout):
    results, verdict = {}, []

    def on_line(source, text):
        if source != "serial":
            return False
        m = BENCH.search(text)
        if m:
            results[m.group(1)] = int(m.group(2))
        d = DONE.search(text)
        if d:
            verdict.append(d.group(1))
            return True  # Xen keeps running after its guest powers off
        return False

    qemu.run(cmd, timeout, on_line)
    if verdict != ["SUCCESS"]:
        print(f"run failed ({verdict or 'no verdict'}): {' '.join(cmd)}", file=sys.stderr)
        return None
    return results


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--hypervisor", required=True)
    p.add_argument("--manifest", required=True)
    p.add_argument("--xen", required=True)
    p.add_argument("--xen-dtb", required=True)
    p.add_argument("--xen-guest", required=True)
    p.add_argument("--native", help="the bench ELF, also run on bare QEMU at EL1")
    p.add_argument("--hypervisor-before", help="another bulkhead.bin (an earlier commit), run as bulkhead-before")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--timeout", type=float, default=120)
    a = p.parse_args()

    tcg = ["-accel", "tcg,thread=multi", "-cpu", "max"]  # never KVM: both sides emulated alike
    machine = ["qemu-system-aarch64", "-M", qemu.HYPERVISOR_MACHINE] + tcg + [
        "-smp", "2", "-m", "1024", "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot"]
    sides = {
        "bulkhead": machine + ["-kernel", a.hypervisor, "-initrd", a.manifest],
        "xen": machine + ["-dtb", a.xen_dtb, "-kernel", a.xen,
                          "-device", f"loader,file={a.xen_guest},addr=0x50000000"],
    }
    if a.hypervisor_before:
        sides["bulkhead-before"] = machine + ["-kernel", a.hypervisor_before, "-initrd", a.manifest]
    if a.native:
        sides["native"] = ["qemu-system-aarch64", "-M", qemu.NATIVE_MACHINE] + tcg + [
            "-smp", "2", "-m", "1024", "-display", "none", "-serial", "stdio", "-monitor", "none",
            "-no-reboot", "-kernel", a.native]
    runs = {side: [] for side in sides}
    for r in range(a.rounds):
        for side, cmd in sides.items():
            res = run_once(cmd, a.timeout)
            if res:
                runs[side].append(res)
            print(f"round {r + 1} {side}: {res}", flush=True)

    names = sorted({n for side in runs.values() for res in side for n in res})
    cols = list(sides)
    print("\nmedians over %d alternating rounds (ns per operation)" % a.rounds)
    print("| benchmark | " + " | ".join(cols) + " | bulkhead / xen |")
    print("|---|" + "---|" * (len(cols) + 1))
    for n in names:
        med = {}
        for side in cols:
            vals = [res[n] for res in runs[side] if n in res]
            med[side] = statistics.median(vals) if vals else None
        ratio = (f"{med['bulkhead'] / med['xen']:.2f}" if med.get("bulkhead") and med.get("xen") else "-")
        cells = [f"{med[s]:,.0f}" if med[s] is not None else "-" for s in cols]
        print(f"| {n} | " + " | ".join(cells) + f" | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
