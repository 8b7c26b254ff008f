#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# mkiso.sh OUT.iso bulkhead.elf manifest.dtb [CMDLINE]: a hybrid BIOS/UEFI
# ISO with GRUB booting Bulkhead and the manifest (boot/x86_64/grub.cfg).
# CMDLINE (debug switches for tests, such as vmx-no-vpid) is appended to
# the multiboot2 line.
set -eu
out=$1 elf=$2 dtb=$3 cmdline=${4:-}
here=$(dirname "$0")
work=$(mktemp -d "${TMPDIR:-/tmp}/bulkhead-iso.XXXXXX")
trap 'rm -rf "$work"' EXIT
dir=$work/iso
mkdir -p "$dir/boot/grub"
cp "$elf" "$dir/boot/bulkhead.elf"
cp "$dtb" "$dir/boot/manifest.dtb"
sed "s|^\( *multiboot2 /boot/bulkhead.elf\)\$|\1${cmdline:+ $cmdline}|" "$here/grub.cfg" >"$dir/boot/grub/grub.cfg"
# Only the modules the config needs: smaller images, faster boots.
grub-mkrescue --install-modules="multiboot2 serial terminal normal configfile echo part_msdos iso9660 all_video" \
    --fonts= --locales= --themes= -o "$out.tmp" "$dir" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
mv "$out.tmp" "$out"
