#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""control-domain.boot: boot Bulkhead into the control domain with a
virtio-blk disk this run makes (its first bytes a fresh marker), then check
from the console log that the control domain read the marker from /dev/vda,
that its device tree has the `bulkhead` node and a memory node that is its
RAM, that its RAM is identity-mapped (its /proc/iomem and its DT say the
addresses the hypervisor logged), that reading the hypervisor's memory
faulted without ending it, and that the ordinary zone beside it did not get
the disk."""
import argparse
import hashlib
import os
import re
import secrets
import subprocess
import sys
import tempfile


def fail(msg):
    print(f"control-domain.boot: FAIL: {msg}")
    return 1


def first(pattern, text):
    m = re.search(pattern, text, re.M)
    return m


def check(log, marker, md5):
    problems = []

    def need(pattern, what):
        m = first(pattern, log)
        if not m:
            problems.append(f"no line matching {pattern!r} ({what})")
        return m

    # Where the hypervisor put the control domain's RAM.
    hv = need(r"^\[bulkhead:\d+\] zone 'cdom': (\d+) KiB at IPA (0x[0-9a-f]+) \(host (0x[0-9a-f]+)\), "
              r"2 vCPU\(s\), control domain", "the hypervisor's line about cdom's RAM")
    need(r"^\[bulkhead:\d+\] zone 'cdom': 32 virtio-mmio transport\(s\) passed through", "pass-through")
    disk = need(r"^\[cdom\] cdom-disk: (\S*)$", "the disk's first bytes")
    if disk and disk.group(1) != marker:
        problems.append(f"cdom read {disk.group(1)!r} from /dev/vda, the disk holds {marker!r}")
    need(r"^\[cdom\] cdom-bulkhead: bulkhead,control-v1 irq 000000000000003f00000001$",
         "the bulkhead node: compatible bulkhead,control-v1, SPI 63 edge")
    dt_mem = re.findall(r"^\[cdom\] cdom-dt-memory: (\S+) ([0-9a-f]+)$", log, re.M)
    iomem = need(r"^\[cdom\] cdom-iomem: ([0-9a-f]+)-([0-9a-f]+) : System RAM$", "one System RAM range")
    root = need(r"^\[cdom\] cdom-dt-root: (.*)$", "the DT's root nodes")
    need(rf"^\[cdom\] cdom-disk-md5: {md5}\s+-$", "the whole disk read, checksum right")
    need(r"^\[cdom\] cdom-transport: 0x00000002$", "the host's virtio-blk transport (DeviceID 2)")
    irqs = need(r"^\[cdom\] cdom-disk-irqs: ([1-9]\d*)$", "a virtio interrupt line")
    need(r"^\[bulkhead:\d+\] zone 'cdom' vcpu \d: illegal read at IPA 0x40200000 .*injecting an external abort$",
         "the hypervisor refusing cdom's read of its image")
    need(r"^\[cdom\] cdom-hypervisor-read-status: 135$", "the reading process killed by SIGBUS")
    need(r"^\[cdom\] cdom-still-running$", "cdom carrying on after the fault")
    need(r"^\[bulkhead:\d+\] zone 'cdom' exited: code 0 \(workload exit status\)$", "cdom's clean exit")
    need(r"^\[plain\] plain-transport: 0x00000000$", "plain's own empty slot at the disk's address")
    need(r"^\[plain\] plain-disks: 0$", "no disk in plain")
    need(r"^\[bulkhead:\d+\] zone 'plain' exited: code 0 \(workload exit status\)$", "plain's clean exit")
    if hv:
        kib, ipa, host = int(hv.group(1)), int(hv.group(2), 16), int(hv.group(3), 16)
        size = kib * 1024
        if ipa != host:
            problems.append(f"cdom's RAM is at IPA {ipa:#x} but host {host:#x}: not identity-mapped")
        if len(dt_mem) != 1:
            problems.append(f"cdom's DT has {len(dt_mem)} memory nodes, not 1: {dt_mem}")
        else:
            name, reg = dt_mem[0]
            want = f"{ipa:016x}{size:016x}"
            if name != f"memory@{ipa:x}" or reg != want:
                problems.append(f"cdom's DT memory node {name} reg {reg}, expected memory@{ipa:x} reg {want}")
        if iomem:
            lo, hi = int(iomem.group(1), 16), int(iomem.group(2), 16) + 1
            if (lo, hi) != (host, host + size):
                problems.append(f"cdom's System RAM is [{lo:#x}, {hi:#x}), the hypervisor gave it "
                                f"[{host:#x}, {host + size:#x})")
            else:
                print(f"control-domain.boot: RAM [{lo:#x}, {hi:#x}) identity-mapped, as the hypervisor logged")
    if root:
        nodes = set(root.group(1).split())
        hidden = {n for n in nodes if re.match(r"(pcie|flash|fw-cfg|pl061|gpio-keys|pmu|platform-bus)", n)}
        if hidden:
            problems.append(f"host devices that are not the control domain's are in its DT: {sorted(hidden)}")
        for n in ("bulkhead", "chosen", "cpus", "psci", "timer", "intc@8000000", "pl011@9000000", "pl031@9010000"):
            if n not in nodes:
                problems.append(f"cdom's DT lacks /{n}")
    if irqs:
        print(f"control-domain.boot: {irqs.group(1)} virtio interrupt line(s) forwarded")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runner", required=True)
    ap.add_argument("--hypervisor", required=True)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--reports", required=True)
    ap.add_argument("--timeout", default="240")
    args = ap.parse_args()
    marker = "BULKHEAD-DISK-" + secrets.token_hex(8)
    log = os.path.join(args.reports, "control-domain.boot.log")
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        data = (marker.encode() + b"\n").ljust(4096, b"\0") + secrets.token_bytes((4 << 20) - 4096)
        with open(disk, "wb") as f:
            f.write(data)
        md5 = hashlib.md5(data).hexdigest()
        cmd = [sys.executable, args.runner, "--name", "control-domain.boot", "--hypervisor", args.hypervisor,
               "--manifest", args.manifest, "--timeout", args.timeout, "--log", log,
               "--junit", os.path.join(args.reports, "control-domain.boot.xml"), "--expect-poweroff",
               "--qemu-arg=-drive", f"--qemu-arg=file={disk},if=none,format=raw,id=disk0",
               "--qemu-arg=-device", "--qemu-arg=virtio-blk-device,drive=disk0",
               "--forbid-log", r"crashed", "--forbid-log", r"Kernel panic"]
        rc = subprocess.run(cmd).returncode
    with open(log, errors="replace") as f:
        text = f.read().replace("\r", "")
    problems = check(text, marker, md5)
    if rc != 0:
        problems.append(f"the scenario runner failed (status {rc})")
    for p in problems:
        print(f"control-domain.boot: FAIL: {p}")
    if problems:
        return 1
    print("control-domain.boot: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
