#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Builds the zone initramfs: an uncompressed newc cpio archive with

  /init                 zone-init
  /bin/busybox          Debian's static busybox, and one symlink per applet
  /sbin, /usr/bin, /usr/sbin -> bin
  /dev/console, /dev/null   device nodes (so init has a console before
                            it mounts devtmpfs)
  /proc /sys /dev /tmp /run /root /etc /mnt /var   directories
  /etc/passwd, /etc/group, /etc/hosts

Everything is owned by root with a fixed timestamp, so the archive is
reproducible and needs no privileges to build. The busybox applet list is
read from the binary itself (its applet name table: "[\\0[[\\0acpid\\0..."),
so no arm64 machine or emulator is needed; if that table cannot be found a
fixed list of common applets is used.

Usage: mkinitramfs.py --init FILE --busybox FILE --output FILE
                      [--add HOSTFILE=/path/in/zone ...]
Standard library only.
"""
import argparse
import os
import re
import stat
import sys

FALLBACK_APPLETS = """
[ [[ ash awk base64 basename cat chmod chown cmp cp cut date dd df diff dirname
dmesg du echo env expr false find free grep gunzip gzip head hostname id kill
killall ln ls md5sum mkdir mknod mktemp more mount mv nproc od printf ps pwd
readlink realpath rm rmdir sed seq sh sha256sum sleep sort stat stty sync tail
tar tee test time timeout top touch tr true umount uname uniq uptime vi wc
which xargs yes
""".split()

SKIP_APPLETS = {"busybox", "linuxrc"}


def applets_of(busybox: bytes) -> list[str]:
    start = busybox.find(b"[\x00[[\x00")
    if start < 0:
        return []
    end = busybox.find(b"\x00\x00", start)
    if end < 0:
        return []
    names = busybox[start:end].decode("ascii", "replace").split("\x00")
    ok = re.compile(r"^[A-Za-z0-9_.\[\]+-]+$")
    if not all(ok.match(n) for n in names) or names != sorted(names):
        return []
    if not {"sh", "cat", "uname"} <= set(names):
        return []
    return names


class Cpio:
    """A newc ("070701") archive writer."""

    def __init__(self, mtime: int):
        self.out = bytearray()
        self.ino = 1
        self.mtime = mtime
        self.names: set[str] = set()

    def _entry(self, name: str, mode: int, data: bytes = b"", rdev=(0, 0), nlink=1):
        name = name.lstrip("/")
        if name in self.names:
            raise SystemExit(f"mkinitramfs: duplicate entry /{name}")
        self.names.add(name)
        encoded = name.encode() + b"\x00"
        fields = [self.ino, mode, 0, 0, nlink, self.mtime, len(data),
                  0, 0, rdev[0], rdev[1], len(encoded), 0]
        self.ino += 1
        header = b"070701" + b"".join(b"%08x" % f for f in fields)
        self.out += header + encoded
        self._pad()
        self.out += data
        self._pad()

    def _pad(self):
        self.out += b"\x00" * (-len(self.out) % 4)

    def dir(self, name, perm=0o755):
        self._entry(name, stat.S_IFDIR | perm, nlink=2)

    def file(self, name, data: bytes, perm=0o644):
        self._entry(name, stat.S_IFREG | perm, data)

    def symlink(self, name, target: str):
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, perm):
        self._entry(name, stat.S_IFCHR | perm, rdev=(major, minor))

    def finish(self) -> bytes:
        self.ino = 0
        self._entry("TRAILER!!!", 0)
        # Pad the archive to a 512-byte block like cpio(1) does.
        self.out += b"\x00" * (-len(self.out) % 512)
        return bytes(self.out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--init", required=True)
    ap.add_argument("--busybox", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--add", action="append", default=[], metavar="HOSTFILE=/PATH")
    args = ap.parse_args()

    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    with open(args.init, "rb") as f:
        init = f.read()
    with open(args.busybox, "rb") as f:
        busybox = f.read()
    applets = applets_of(busybox)
    if not applets:
        print("mkinitramfs: warning: no applet table found in busybox; "
              "using a fixed applet list", file=sys.stderr)
        applets = FALLBACK_APPLETS

    c = Cpio(mtime)
    for d, perm in [("dev", 0o755), ("proc", 0o555), ("sys", 0o555), ("tmp", 0o1777),
                    ("run", 0o755), ("root", 0o700), ("etc", 0o755), ("mnt", 0o755),
                    ("var", 0o755), ("bin", 0o755), ("usr", 0o755)]:
        c.dir(d, perm)
    c.chardev("dev/console", 5, 1, 0o600)
    c.chardev("dev/null", 1, 3, 0o666)
    c.symlink("sbin", "bin")
    c.symlink("usr/bin", "../bin")
    c.symlink("usr/sbin", "../bin")
    c.symlink("var/tmp", "../tmp")
    c.file("init", init, 0o755)
    c.file("bin/busybox", busybox, 0o755)
    for a in applets:
        if a not in SKIP_APPLETS:
            c.symlink("bin/" + a, "busybox")
    c.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n"
                         b"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
    c.file("etc/group", b"root:x:0:\ntty:x:5:\nnogroup:x:65534:\n")
    c.file("etc/hosts", b"127.0.0.1\tlocalhost\n")
    for spec in args.add:
        host, sep, dest = spec.partition("=")
        if not sep or not dest.startswith("/"):
            raise SystemExit(f"mkinitramfs: --add wants HOSTFILE=/PATH, got '{spec}'")
        with open(host, "rb") as f:
            data = f.read()
        perm = 0o755 if os.stat(host).st_mode & 0o111 else 0o644
        parts = dest.strip("/").split("/")
        for i in range(1, len(parts)):
            parent = "/".join(parts[:i])
            if parent not in c.names:
                c.dir(parent)
        c.file(dest, data, perm)

    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(c.finish())
    os.replace(tmp, args.output)
    print(f"mkinitramfs: {args.output}: {len(applets)} applets, "
          f"{os.path.getsize(args.output)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
