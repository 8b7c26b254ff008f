#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Zone boot time: from zone start to zone init starting the workload.

Boots the minimal zone kernel and initramfs three times in a Bulkhead zone
(1 vCPU, 64 MiB) and three times directly under QEMU with no hypervisor
(same kernel, initrd and command line; on x86-64, --arch x86_64, the
vmlinux through PVH both ways: QEMU's -kernel takes its PVH note), and prints, for each, the zone's
own uptime when init starts the workload (its BULKHEAD-START line) and, in
a zone, the hypervisor's measurement from zone start to that line. Also
prints the hypervisor's memory cost per zone. Prints numbers; never judges
them (CTest label bench)."""
import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
START = re.compile(r"BULKHEAD-START uptime=([0-9.]+)")
HV = re.compile(r"workload starting ([0-9.]+) ms after the zone started")
OVERHEAD = re.compile(r"overhead (\d+) KiB")
CMDLINE = {"arm64": "console=ttyAMA0 panic=-1 quiet", "x86_64": "console=ttyS0 panic=-1 quiet"}


def run(cmd, timeout=120, stdin=subprocess.DEVNULL):
    r = subprocess.run(cmd, stdin=stdin, capture_output=True, text=True, timeout=timeout)
    return r.stdout + r.stderr  # run-zone --verbose puts the hypervisor's log on stderr


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--arch", choices=("arm64", "x86_64"), default="arm64")
    a = p.parse_args()
    x86 = a.arch == "x86_64"
    kdir = os.path.join(a.build, "zone-kernel", *(["x86_64"] if x86 else []))
    image = os.path.join(kdir, "vmlinux" if x86 else "Image")
    initrd = os.path.join(kdir, "initramfs.cpio")
    cmdline = CMDLINE[a.arch]
    if x86:  # the same TCG, the same CPU model as the hypervisor's machine
        machine = ["qemu-system-x86_64", "-M", "q35", "-accel", "tcg,thread=multi", "-cpu", "max"]
    else:
        machine = ["qemu-system-aarch64", "-M", "virt,gic-version=3", "-accel", "tcg,thread=multi", "-cpu", "max"]
    native, zone_up, zone_hv, overhead = [], [], [], None
    for _ in range(a.runs):
        out = run(machine + ["-smp", "1", "-m", "64", "-display", "none", "-serial", "stdio", "-monitor", "none",
                             "-no-reboot", "-kernel", image, "-initrd", initrd, "-append", cmdline + " -- /bin/true"])
        m = START.search(out)
        if m:
            native.append(float(m.group(1)) * 1000)
        out = run([sys.executable, os.path.join(ROOT, "scripts", "run-zone"), "--arch", a.arch, image, "--initrd",
                   initrd, "--build", a.build, "--mem", "64", "--cmdline", cmdline, "--verbose", "--", "/bin/true"])
        m, h, o = START.search(out), HV.search(out), OVERHEAD.search(out)
        if m and h:
            zone_up.append(float(m.group(1)) * 1000)
            zone_hv.append(float(h.group(1)))
        if o:
            overhead = int(o.group(1))
    if not native or not zone_up:
        print("linux boot bench: no measurement (a boot failed)")
        return 1
    med = statistics.median
    print(f"Zone boot to workload, minimal zone kernel ({a.arch}), QEMU TCG, median of {a.runs} (ms):")
    print(f"  no hypervisor, guest uptime         {med(native):8.0f}")
    print(f"  in a zone, guest uptime              {med(zone_up):8.0f}   ratio {med(zone_up) / med(native):.2f}x")
    print(f"  in a zone, hypervisor's counter      {med(zone_hv):8.0f}   (zone start to BULKHEAD-START)")
    print(f"Hypervisor memory per zone (object and stage-2 tables): {overhead} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
