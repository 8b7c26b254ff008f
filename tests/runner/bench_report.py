#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Run the arm64 benchmarks and print native-versus-zone numbers.

Three boots through bulkhead_run: the bench guest on bare QEMU at EL1 (QEMU's
firmware answers its HVCs), the same guest in a zone, and the zone-switch
pair. Prints a table of name, native ns, zone ns and ratio, naming the
emulator. Exit status 0 when every boot ran to completion: the numbers are
for people, not for pass or fail."""
import argparse
import json
import os
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bulkhead_run  # noqa: E402


def run(name, boot_args, reports, timeout, tmpdir):
    out = os.path.join(tmpdir, name + ".json")
    argv = ["--name", name, "--timeout", str(timeout), "--expect-poweroff", "--bench-json", out] + boot_args
    if reports:
        argv += ["--junit", os.path.join(reports, name + ".xml"), "--log", os.path.join(reports, name + ".log")]
    rc = bulkhead_run.main(argv)
    if not os.path.exists(out):
        return rc == 0, "none", {}
    data = json.load(open(out))
    return rc == 0, data["accelerator"], {r["name"]: r["value"] for r in data["results"]}


def table(rows, accelerator):
    print(f"\nBulkhead arm64 benchmarks (QEMU {accelerator}; ns, averaged; lower is better)")
    header = ("benchmark", "native ns", "zone ns", "zone/native")
    body = []
    for name, native, zone in rows:
        ratio = f"{zone / native:.1f}x" if native and zone is not None else "-"
        body.append((name, f"{native:.0f}" if native is not None else "-", f"{zone:.0f}" if zone is not None else "-",
                     ratio))
    widths = [max(len(r[i]) for r in [header] + body) for i in range(4)]
    for r in [header] + body:
        print("  " + r[0].ljust(widths[0]) + "  " + "  ".join(c.rjust(w) for c, w in zip(r[1:], widths[1:])))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--hypervisor", required=True)
    p.add_argument("--native-image", required=True, help="bench.elf")
    p.add_argument("--manifest", required=True, help="bench.dtb")
    p.add_argument("--switch-manifest", required=True, help="bench-switch.dtb")
    p.add_argument("--reports", help="directory for JUnit XML and console logs")
    p.add_argument("--timeout", type=float, default=60)
    args = p.parse_args()
    if args.reports:
        os.makedirs(args.reports, exist_ok=True)
    expect = ["--expect", "*:bench:SUCCESS"]
    with tempfile.TemporaryDirectory(prefix="bulkhead-bench-") as tmp:
        ok_n, accel, native = run("aarch64.bench-native", ["--native", args.native_image] + expect,
                                  args.reports, args.timeout, tmp)
        ok_z, _, zone = run("aarch64.bench-zone", ["--hypervisor", args.hypervisor, "--manifest", args.manifest] + expect,
                            args.reports, args.timeout, tmp)
        ok_s, _, switch = run("aarch64.bench-switch",
                              ["--hypervisor", args.hypervisor, "--manifest", args.switch_manifest,
                               "--expect", "switch-a:bench-switch-a:SUCCESS", "--expect", "switch-b:bench-switch-b:SUCCESS"],
                              args.reports, args.timeout, tmp)
    zone.update(switch)
    names = list(dict.fromkeys(list(native) + list(zone)))
    table([(n, native.get(n), zone.get(n)) for n in names], accel)
    ran = {"native": ok_n, "zone": ok_z, "zone switch": ok_s}
    failed = [k for k, ok in ran.items() if not ok]
    if failed:
        print(f"\nbench: did not run to completion: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
