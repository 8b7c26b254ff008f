#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# mkiso.sh OUT.iso bulkhead.elf manifest.dtb [CMDLINE]: a hybrid BIOS/UEFI
# ISO with GRUB booting Bulkhead and the manifest (boot/x86_64/grub.cfg).
# CMDLINE (debug switches for tests, such as vmx-no-vpid) is appended to
# the multiboot2 line.
set -eu
usage="usage: $0 OUT.iso bulkhead.elf manifest.dtb [CMDLINE]"
case "${1:-}" in
-h | --help)
    cat <<HELP
$usage

Writes OUT.iso, a GRUB image that boots from BIOS and UEFI alike and starts
Bulkhead (bulkhead.elf, build/x86_64/hypervisor/bulkhead.elf) with the zone
manifest (a DTB compiled with dtc; see docs/zone-manifest.md). CMDLINE, for
tests, is appended to GRUB's multiboot2 line (vmx-no-vpid). Boot it with

  qemu-system-x86_64 -machine q35 -cpu max -smp 2 -m 512 -display none -serial stdio \\
      -device isa-debug-exit,iobase=0xf4,iosize=4 -cdrom OUT.iso

or let scripts/run-manifest --arch x86_64 do all of it. Needs grub-pc-bin,
grub-efi-amd64-bin, xorriso and mtools.
HELP
    exit 0
    ;;
esac
if [ $# -lt 3 ] || [ $# -gt 4 ]; then
    echo "$usage (see --help)" >&2
    exit 2
fi
out=$1 elf=$2 dtb=$3 cmdline=${4:-}
for f in "$elf" "$dtb"; do
    [ -f "$f" ] || { echo "mkiso.sh: $f: no such file" >&2; exit 1; }
done
command -v grub-mkrescue >/dev/null || {
    echo "mkiso.sh: grub-mkrescue is missing (Debian: apt-get install grub-pc-bin grub-efi-amd64-bin xorriso mtools)" >&2
    exit 1
}
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
