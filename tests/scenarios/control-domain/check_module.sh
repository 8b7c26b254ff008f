#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# control-domain.module: builds module/ against the control-domain kernel's
# kept Kbuild tree (BULKHEAD_CONTROL_KERNEL_BUILD_DIR), hands the .ko to the
# control domain on a virtio disk, and loads it there with insmod.
# Usage: check_module.sh KBUILD_DIR BUILD_DIR
set -eu
kbuild=$1 build=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/module/bulkhead_probe.c" "$here/module/Kbuild" "$tmp/"
cross=aarch64-linux-gnu-
[ "$(uname -m)" = aarch64 ] && cross=
make -s -C "$kbuild" M="$tmp" ARCH=arm64 CROSS_COMPILE="$cross" modules
size=$(stat -c %s "$tmp/bulkhead_probe.ko")
cp "$tmp/bulkhead_probe.ko" "$tmp/disk.img"
truncate -s 1M "$tmp/disk.img"
out=$(printf 'head -c %s /dev/vda > /tmp/probe.ko\ninsmod /tmp/probe.ko; echo insmod-status: $?\necho loaded: $(grep -c "^bulkhead_probe " /proc/modules)\nexit 0\n' "$size" |
    "$here/../../../scripts/run-node" --build "$build" --disk "$tmp/disk.img")
echo "$out"
echo "$out" | grep -q '^\[control\] insmod-status: 0$'
echo "$out" | grep -q '^\[control\] loaded: 1$'
echo "control-domain.module: PASS ($size-byte module built against $kbuild loaded)"
