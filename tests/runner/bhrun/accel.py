# SPDX-License-Identifier: GPL-2.0-only
"""Choose QEMU's accelerator: KVM only where it can host an EL2 hypervisor.

KVM helps only on an aarch64 host whose KVM offers nested virtualization
(kvm-arm.mode=nested); everywhere else, including x86 hosts that happen to
have /dev/kvm, the arm64 machine is emulated with multi-threaded TCG."""
import os
import platform
from dataclasses import dataclass


@dataclass
class Accel:
    name: str
    args: list
    reason: str


def _nested_kvm() -> bool:
    try:
        with open("/proc/cmdline") as f:
            if "kvm-arm.mode=nested" in f.read().split():
                return True
    except OSError:
        pass
    try:
        with open("/sys/module/kvm/parameters/mode") as f:
            return f.read().strip() == "nested"
    except OSError:
        return False


def choose(needs_el2: bool = True) -> Accel:
    tcg = ["-accel", "tcg,thread=multi", "-cpu", "max"]
    forced = os.environ.get("BULKHEAD_ACCEL", "")
    if forced == "tcg":
        return Accel("tcg", tcg, "BULKHEAD_ACCEL=tcg")
    machine = platform.machine()
    if machine not in ("aarch64", "arm64"):
        return Accel("tcg", tcg, f"host is {machine}")
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return Accel("tcg", tcg, "no usable /dev/kvm")
    if needs_el2 and not _nested_kvm():
        return Accel("tcg", tcg, "KVM without nested virtualization")
    return Accel("kvm", ["-accel", "kvm", "-cpu", "host"], "aarch64 host with nested KVM")
