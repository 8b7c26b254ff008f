# SPDX-License-Identifier: GPL-2.0-only
"""What the user-facing tools (scripts/run-zone, scripts/run-manifest) share:
options refused with exit status 125 and one line on standard error, checks
on the user's files that talk about those files, and the judge that turns
the hypervisor's lines into the tools' exit status (ends.py)."""
import argparse
import os
import re
import sys

from . import ends

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))


class Refused(Exception):
    """Bulkhead will not (or cannot) start what was asked: exit 125."""


class Parser(argparse.ArgumentParser):
    """argparse whose usage errors are one line and exit 125, not 2."""

    def error(self, message):
        raise Refused(f"{message} (see --help)")


def fail(tool: str, message: str, status: int = ends.REFUSED) -> int:
    print(f"{tool}: {message}", file=sys.stderr, flush=True)
    return status


def host_memory_mib() -> int:
    """This machine's RAM in MiB (0 if unknown)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def readable_file(path: str, what: str) -> str:
    if not os.path.exists(path):
        raise Refused(f"{what} {path}: no such file")
    if os.path.isdir(path):
        raise Refused(f"{what} {path} is a directory, not a file")
    if not os.access(path, os.R_OK):
        raise Refused(f"{what} {path} cannot be read (permission denied)")
    return path


def check_arm64_image(path: str):
    """Refuses, saying what the file is, anything but an arm64 Linux Image."""
    readable_file(path, "kernel")
    with open(path, "rb") as f:
        head = f.read(0x210)
    if len(head) >= 64 and head[56:60] == b"ARM\x64":
        return
    what = "it is too short to be one" if len(head) < 64 else "it has no \"ARM\\x64\" magic at byte 56"
    if head[:2] == b"\x1f\x8b":
        what = "it is gzip-compressed (an Image.gz?); gunzip it first"
    elif head[:4] == b"\x7fELF":
        what = "it is an ELF file (a vmlinux?); give the Image (arch/arm64/boot/Image)"
    elif len(head) >= 0x206 and head[0x202:0x206] == b"HdrS":
        what = "it is an x86 bzImage; give --arch x86_64 to boot it"
    elif head[:4] == b"\xd0\x0d\xfe\xed":
        what = "it is a device tree blob; give manifests to scripts/run-manifest"
    raise Refused(f"{path} is not an arm64 Linux Image: {what}")


def check_x86_kernel(path: str):
    """Refuses what is neither an x86-64 ELF vmlinux nor a bzImage (the
    hypervisor checks the PVH note and the boot protocol version itself)."""
    readable_file(path, "kernel")
    with open(path, "rb") as f:
        head = f.read(0x210)
    if head[:4] == b"\x7fELF" and len(head) >= 20 and head[4] == 2 and head[18:20] == b"\x3e\x00":
        return
    if len(head) >= 0x206 and head[0x202:0x206] == b"HdrS":
        return
    what = "it is neither an x86-64 ELF vmlinux nor a bzImage"
    if head[:2] == b"\x1f\x8b":
        what = "it is gzip-compressed; gunzip it first"
    elif len(head) >= 64 and head[56:60] == b"ARM\x64":
        what = "it is an arm64 Image; leave out --arch x86_64 to boot it"
    raise Refused(f"{path} is not an x86-64 Linux kernel: {what}")


def qemu_reason(stderr: list) -> str:
    """QEMU's first complaint, as one line without its program name."""
    for line in stderr:
        line = re.sub(r"^qemu-system-[a-z0-9_]+: ", "", line.strip())
        if line:
            return line
    return ""


def hypervisor_image(build: str, arch: str) -> str:
    name = "bulkhead.bin" if arch == "aarch64" else "bulkhead.elf"
    path = os.path.join(build, arch, "hypervisor", name)
    if not os.path.isfile(path):
        raise Refused(f"{path} is missing: build Bulkhead first (make build, or cmake --preset default && "
                      f"cmake --build build)")
    return path


class Judge:
    """Reads the hypervisor's lines as they come: how each zone ended, and
    whether the hypervisor refused the manifest or panicked."""

    def __init__(self):
        self.ends = {}         # zone -> ZoneEnd, the first end only
        self.refusal = None    # the hypervisor's reason, without "manifest: "
        self.panic = None
        self.lines = 0         # hypervisor lines seen (0: it never started)
        self._recent = []      # the last few hypervisor lines, for a refusal's reason

    def feed(self, line: str) -> bool:
        """True if `line` is the hypervisor's."""
        text = ends.hypervisor_text(line)
        if text is None:
            return False
        self.lines += 1
        end = ends.parse_end(text)
        if end:
            self.ends.setdefault(end.zone, end)
        elif text == ends.REFUSING:
            self.refusal = self._reason()
        elif ends.PANIC.match(text):
            self.panic = ends.PANIC.match(text).group(1)
        self._recent = (self._recent + [text])[-3:]
        return True

    def _reason(self) -> str:
        why = self._recent[-1] if self._recent else "no reason given"
        # A zone that could not be built says why on the line before.
        if why.startswith("boot: the manifest's zones could not be built") and len(self._recent) > 1:
            why = self._recent[-2]
        return why[len("manifest: "):] if why.startswith("manifest: ") else why
