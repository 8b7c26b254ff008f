#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boots the zone kernel and initramfs directly in QEMU (no hypervisor) and
# checks zone-init end to end: exit lines (status, signal, cannot start) and
# the kexec'd exit stub (which ends the machine when no hypervisor takes its
# call: PSCI SYSTEM_OFF on arm64, the i8042's reset on x86-64), the kernel
# command line and (arm64) device tree workload interfaces, (arm64) a root
# disk (bulkhead.root=, mkfs.ext4 -d images), SMP, /dev/mem, kernel messages
# around the exit line, and that a kernel panic resets the machine (QEMU
# -no-reboot then exits).
# Every boot must end by itself within the timeout. Each case also times the
# boot to the workload: host wall time from starting QEMU to the line
# BULKHEAD-START.
#
# Usage: zone-kernel/check-direct-boot.sh [--arch arm64|x86_64] [--image KERNEL]
#                                         [--initrd initramfs.cpio] [--only NAME] [--verbose]
# Defaults: arm64, build/zone-kernel/{Image,initramfs.cpio}; for x86_64
# build/zone-kernel/x86_64/{vmlinux,initramfs.cpio} (vmlinux boots through its
# PVH note, QEMU -M pc). Needs qemu-system-aarch64 or qemu-system-x86_64
# and, for the arm64 device tree cases, fdtput (device-tree-compiler); for
# the root disk cases e2fsprogs. BOOT_DEBUG=1 prints each QEMU command.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
arch=arm64
image=""
initrd=""
only=""
verbose=0
timeout_s=${BOOT_TIMEOUT:-120}
while [[ $# -gt 0 ]]; do
    case "$1" in
        --arch) arch=$2; shift 2 ;;
        --image) image=$2; shift 2 ;;
        --initrd) initrd=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --verbose|-v) verbose=1; shift ;;
        -h|--help) sed -n '3,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "check-direct-boot: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
cpus=2
case "$arch" in
    arm64|aarch64)
        arch=arm64
        : "${image:=$root/build/zone-kernel/Image}" "${initrd:=$root/build/zone-kernel/initramfs.cpio}"
        qemu=qemu-system-aarch64 machine="virt,gic-version=3" cpu=cortex-a57
        base="console=ttyAMA0 earlycon panic=-1"
        ram_page=262144  # RAM starts at 0x40000000 on virt; the kernel Image is loaded there
        target=zone-kernel
        ;;
    x86_64|x86|amd64)
        arch=x86_64
        : "${image:=$root/build/zone-kernel/x86_64/vmlinux}" "${initrd:=$root/build/zone-kernel/x86_64/initramfs.cpio}"
        qemu=qemu-system-x86_64 machine=pc cpu=max
        base="console=ttyS0 panic=-1"
        ram_page=256  # 1 MiB: RAM on a PC
        target=zone-kernel-x86_64
        ;;
    *) echo "check-direct-boot: unknown arch '$arch' (arm64 or x86_64)" >&2; exit 2 ;;
esac
for f in "$image" "$initrd"; do
    [[ -f $f ]] || { echo "check-direct-boot: missing $f (build the $target target)" >&2; exit 2; }
done
command -v $qemu >/dev/null || { echo "check-direct-boot: needs $qemu" >&2; exit 2; }

tmp=$(mktemp -d)
extra_qemu=()  # more QEMU arguments for the next boot (a case sets and clears them)
trap 'rm -rf "$tmp"' EXIT

failures=0
passed=0
declare -a summary=()

# Copies standard input to FILE and writes to STAMP the seconds since T0
# (a $EPOCHREALTIME) at which the line BULKHEAD-START arrived.
stamp_start() {
    local file=$1 stamp=$2 t0=$3 line seen=0
    : >"$stamp"
    while IFS= read -r line || [[ -n $line ]]; do
        printf '%s\n' "$line" >>"$file"
        if [[ $seen == 0 && $line == BULKHEAD-START* ]]; then
            seen=1
            awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f\n", b - a }' >"$stamp"
        fi
    done
}

# boot NAME APPEND [DTB] -> $log (raw), $clean (CR stripped), $rc, $secs,
# $start_secs (wall time to BULKHEAD-START, or "?")
boot() {
    local name=$1 append=$2 dtb=${3:-}
    log="$tmp/$name.log"
    clean="$tmp/$name.txt"
    local -a cmd=($qemu -M "$machine" -cpu "$cpu" -smp "$cpus" -m 256
                  -nographic -no-reboot -kernel "$image" -initrd "$initrd" -append "$append")
    [[ -n $dtb ]] && cmd+=(-dtb "$dtb")
    cmd+=("${extra_qemu[@]}")
    local t0 t1
    : >"$log"
    t0=$EPOCHREALTIME
    [[ -n ${BOOT_DEBUG:-} ]] && echo "${cmd[*]}" >&2
    timeout "$timeout_s" "${cmd[@]}" </dev/null 2>&1 | stamp_start "$log" "$tmp/$name.start" "$t0"
    rc=${PIPESTATUS[0]}
    t1=$EPOCHREALTIME
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    start_secs=$(cat "$tmp/$name.start")
    : "${start_secs:=?}"
    tr -d '\r' <"$log" >"$clean"
}

case_failed=0
fail() { echo "  FAIL: $*"; case_failed=1; }
has_line() { grep -qxF -- "$1" "$clean" || fail "no line '$1'"; }
has_text() { grep -qF -- "$1" "$clean" || fail "no '$1' in the output"; }
ends_by_itself() {
    if [[ $rc == 124 ]]; then fail "QEMU did not exit within ${timeout_s}s";
    elif [[ $rc != 0 ]]; then fail "QEMU exited with $rc"; fi
}
one_record() {  # exactly one exit line, it is $1, and init left through the exit stub
    local n
    n=$(grep -c '^BULKHEAD-EXIT ' "$clean")
    [[ $n == 1 ]] || fail "$n exit lines (want exactly 1)"
    has_line "$1"
    # No hypervisor here: QEMU's PSCI answers the stub's ZONE_EXIT with
    # NOT_SUPPORTED and the stub powers off (arm64), or the stub finds no
    # Bulkhead CPUID signature and resets the PC through its i8042 (x86-64);
    # ends_by_itself checks that QEMU ended.
    has_text "kexec_core: Starting new kernel"
    if grep -q '^zone-init: cannot .* exit stub' "$clean"; then fail "the exit stub did not run"; fi
}

run_case() {  # NAME DESCRIPTION: body in check_NAME
    local name=$1 desc=$2
    [[ -n $only && $only != "$name" ]] && return 0
    case_failed=0
    log="$tmp/$name.log" clean="$tmp/$name.txt" secs=0 start_secs="?"
    : >"$clean"
    echo "== $name: $desc"
    "check_$name"
    if [[ $case_failed == 0 ]]; then
        passed=$((passed + 1)); summary+=("PASS $name (${secs}s, workload at ${start_secs}s)")
    else
        failures=$((failures + 1)); summary+=("FAIL $name")
        echo "  --- console output ($log):"; sed 's/^/  | /' "$clean" | tail -n 60
    fi
    [[ $verbose == 1 ]] && sed 's/^/  | /' "$clean"
    return 0
}

# A device tree like QEMU's own for this machine, with a workload node.
# dtb_with_workload FILE [fdtput args for properties: -t s NAME VALUE...]...
dtb_with_workload() {
    local out=$1; shift
    $qemu -M "$machine,dumpdtb=$out" -cpu "$cpu" -smp "$cpus" -m 256 \
        -nographic >/dev/null 2>&1 || return 1
    fdtput -c "$out" /chosen/bulkhead,workload || return 1
    while [[ $# -gt 0 ]]; do
        local prop=$1; shift
        local -a vals=()
        while [[ $# -gt 0 && $1 != ";" ]]; do vals+=("$1"); shift; done
        [[ $# -gt 0 ]] && shift
        fdtput -t s -- "$out" /chosen/bulkhead,workload "$prop" "${vals[@]}" || return 1
    done
}

check_exit_status() {
    # The brief's own command line; on arm64 GICv2 (QEMU's default) on purpose.
    local saved=$machine
    [[ $arch == arm64 ]] && machine=virt
    boot exit_status "$base -- /bin/sh -c 'uname -a; nproc; echo vcpus=\$BULKHEAD_VCPUS; cat /proc/uptime; exit 3'"
    machine=$saved
    ends_by_itself
    one_record "BULKHEAD-EXIT status=3"
    has_text "Linux zone 6.1"
    has_line "$cpus"
    has_line "vcpus=$cpus"
    uptime_to_workload=$(grep -E '^[0-9]+\.[0-9]+ [0-9]+\.[0-9]+$' "$clean" | head -n1 | cut -d' ' -f1)
    boot_wall=$secs
    start_wall=$start_secs
    echo "  guest uptime when the workload ran: ${uptime_to_workload:-?}s; QEMU start to BULKHEAD-START:" \
         "${start_secs}s wall; whole boot to the end: ${secs}s wall"
}

check_zone_name() {
    boot zone_name "$base bulkhead.zone-name=beta -- hostname"
    ends_by_itself
    has_line "beta"
    one_record "BULKHEAD-EXIT status=0"
}

check_signal() {
    boot signal "$base -- /bin/sh -c 'kill -9 \$\$'"
    ends_by_itself
    one_record "BULKHEAD-EXIT signal=9"
}

check_missing() {
    boot missing "$base -- /no/such/program arg"
    ends_by_itself
    has_line "zone-init: cannot run '/no/such/program': No such file or directory"
    one_record "BULKHEAD-EXIT status=127"
}

check_not_executable() {
    boot not_executable "$base -- /etc/passwd"
    ends_by_itself
    has_line "zone-init: cannot run '/etc/passwd': Permission denied"
    one_record "BULKHEAD-EXIT status=126"
}

check_no_workload() {
    boot no_workload "$base"
    ends_by_itself
    has_text "zone-init: no workload"
    one_record "BULKHEAD-EXIT status=127"
}

check_unterminated_line() {
    boot unterminated_line "$base -- /bin/sh -c 'printf no-newline'"
    ends_by_itself
    has_line "no-newline"   # the exit line starts a line of its own
    one_record "BULKHEAD-EXIT status=0"
}

check_orphans() {
    # The workload leaves a child behind; init must not wait for it.
    boot orphans "$base -- /bin/sh -c 'sleep 1000 & echo left-a-child; exit 4'"
    ends_by_itself
    has_line "left-a-child"
    one_record "BULKHEAD-EXIT status=4"
}

check_smp_busy() {
    boot smp_busy "$base -- /bin/sh -c 'for c in 1 2; do (i=0; while [ \$i -lt 30000 ]; do i=\$((i+1)); done; echo done-\$c) & done; wait; grep -c ^processor /proc/cpuinfo'"
    ends_by_itself
    has_line "done-1"
    has_line "done-2"
    has_line "$cpus"
    one_record "BULKHEAD-EXIT status=0"
}

check_devmem() {
    boot devmem "$base -- /bin/sh -c 'dd if=/dev/mem bs=4096 skip=$ram_page count=1 2>/dev/null | wc -c'"
    ends_by_itself
    has_line "4096"
    one_record "BULKHEAD-EXIT status=0"
}

check_kernel_chatter() {
    # Writers flood the kernel log (printed straight to the UART) and are
    # still at it when the workload exits: the exit line must come out whole
    # on a line of its own, not with a kernel message inside it. A boot
    # without the fix broke the line in about 6 of 10 runs here, so three
    # boots. (Kernel command line: no more than 32 words after "--".)
    local round
    for round in 1 2 3; do
        boot kernel_chatter "$base -- /bin/sh -c 'echo on >/proc/sys/kernel/printk_devkmsg;p=\$(printf %0200d 0);for w in \$(seq 4);do (while :;do echo chatter-\$w-\$p >/dev/kmsg;done)& done;sleep 1;exit 5'"
        ends_by_itself
        has_text "chatter-1-000"
        one_record "BULKHEAD-EXIT status=5"
        [[ $case_failed == 0 ]] || { echo "  (round $round of 3)"; return; }
    done
}

check_dt_workload() {
    local dtb="$tmp/dt_workload.dtb"
    dtb_with_workload "$dtb" \
        zone-name alpha ";" \
        command sh ";" \
        args -c 'echo "host=$(hostname) cwd=$(pwd) FOO=$FOO HOME=$HOME n=$# 1=$1 2=[$2]"; exit 7' zero "a b" "" ";" \
        env "FOO=bar baz" "HOME=/tmp" ";" \
        cwd /tmp ";" || { fail "could not build the device tree"; return; }
    # The DT node wins over the command line.
    boot dt_workload "$base -- /bin/false" "$dtb"
    ends_by_itself
    has_line "host=alpha cwd=/tmp FOO=bar baz HOME=/tmp n=2 1=a b 2=[]"
    one_record "BULKHEAD-EXIT status=7"
}

check_dt_bad_cwd() {
    local dtb="$tmp/dt_bad_cwd.dtb"
    dtb_with_workload "$dtb" command /bin/true ";" cwd /no/such/dir ";" ||
        { fail "could not build the device tree"; return; }
    boot dt_bad_cwd "$base" "$dtb"
    ends_by_itself
    has_line "zone-init: cannot run '/bin/true': working directory '/no/such/dir': No such file or directory"
    one_record "BULKHEAD-EXIT status=127"
}

check_dt_no_command() {
    local dtb="$tmp/dt_no_command.dtb"
    dtb_with_workload "$dtb" zone-name gamma ";" || { fail "could not build the device tree"; return; }
    # The hypervisor always names the zone in the node; without a command
    # the workload comes from the command line, under the zone's name.
    boot dt_no_command "$base -- /bin/sh -c 'echo host-is-\$(hostname)'" "$dtb"
    ends_by_itself
    has_text "host-is-gamma"
    one_record "BULKHEAD-EXIT status=0"
}

# A root disk: an ext4 image of DIR's files (mkfs.ext4 -d), as the virt
# machine's virtio-blk device (/dev/vda in the zone).
# root_disk_image DISK DIR; then boot with extra_qemu=("${root_disk_qemu[@]}")
root_disk_image() {
    local disk=$1 dir=$2
    mkfs.ext4 -q -F -L zone-root -d "$dir" "$disk" 16M >/dev/null || return 1
    root_disk_qemu=(-drive "file=$disk,if=none,format=raw,id=root" -device virtio-blk-device,drive=root)
}

# A tree with busybox as its only program, a file to find and a script
# that looks around (the command line has room for 32 words only).
busybox_tree() {
    local dir=$1
    mkdir -p "$dir/bin" "$dir/etc"
    cp "$(dirname "$initrd")/busybox" "$dir/bin/busybox"
    ln -s busybox "$dir/bin/sh"
    echo "from the disk" >"$dir/etc/zone-disk"
    cat >"$dir/bin/look" <<'SH'
#!/bin/sh
busybox cat /etc/zone-disk
busybox ls / | busybox tr '\n' ' '; echo
echo written-in-zone >/marker || echo refused
busybox grep ' / ext4 ' /proc/mounts | busybox cut -d' ' -f4 | busybox cut -d, -f1
busybox ls /init 2>&1
busybox df -k /tmp | busybox tail -n1 | busybox cut -c1-5
exit 6
SH
    chmod +x "$dir/bin/look"
}

check_root_disk() {
    # bulkhead.root: init switches to the disk (which has no /dev, /proc,
    # /sys, /run or /tmp: made, as it is writable), the workload runs and
    # writes there, the initramfs is gone, /tmp is still init's tmpfs, and
    # the disk is left clean.
    local dir="$tmp/root_disk.d" disk="$tmp/root_disk.img"
    busybox_tree "$dir"
    root_disk_image "$disk" "$dir" || { fail "could not make the disk image"; return; }
    extra_qemu=("${root_disk_qemu[@]}")
    boot root_disk "$base bulkhead.root=/dev/vda -- /bin/look"
    extra_qemu=()
    ends_by_itself
    has_line "from the disk"
    has_line "bin dev etc lost+found proc run sys tmp "
    has_line "rw"
    has_text "/init: No such file or directory"
    has_line "tmpfs"
    one_record "BULKHEAD-EXIT status=6"
    [[ $(debugfs -R "cat /marker" "$disk" 2>/dev/null) == written-in-zone ]] || fail "the disk does not hold /marker"
    # Remounted read-only before the exit: its journal has nothing to
    # recover (ext4 sets needs_recovery while mounted read-write).
    dumpe2fs -h "$disk" 2>/dev/null | grep -q '^Filesystem features:' || fail "dumpe2fs cannot read the disk"
    if dumpe2fs -h "$disk" 2>/dev/null | grep -q '^Filesystem features:.*needs_recovery'; then
        fail "the disk's journal needs recovery: it was not unmounted or remounted read-only"
    fi
    e2fsck -fn "$disk" >/dev/null 2>&1 || fail "the disk has errors after the zone (e2fsck -fn)"
}

check_root_disk_ro() {
    local dir="$tmp/root_disk_ro.d" disk="$tmp/root_disk_ro.img"
    busybox_tree "$dir"
    mkdir -p "$dir/dev" "$dir/proc" "$dir/sys"
    root_disk_image "$disk" "$dir" || { fail "could not make the disk image"; return; }
    local before
    before=$(md5sum <"$disk")
    extra_qemu=("${root_disk_qemu[@]}")
    boot root_disk_ro "$base bulkhead.root=/dev/vda bulkhead.root-mode=ro -- /bin/look"
    extra_qemu=()
    ends_by_itself
    has_line "from the disk"
    has_line "refused"
    has_line "ro"
    one_record "BULKHEAD-EXIT status=6"
    [[ $(md5sum <"$disk") == "$before" ]] || fail "the read-only disk changed"
}

check_root_disk_not_ext4() {
    truncate -s 4M "$tmp/zeros.img"
    extra_qemu=(-drive "file=$tmp/zeros.img,if=none,format=raw,id=root" -device virtio-blk-device,drive=root)
    boot root_disk_not_ext4 "$base bulkhead.root=/dev/vda -- /bin/sh -c 'echo ran'"
    extra_qemu=()
    ends_by_itself
    has_text "zone-init: cannot mount the root disk /dev/vda (ext4): Invalid argument; is it an ext4 filesystem?"
    if grep -qx ran "$clean"; then fail "the workload ran without its root"; fi
    one_record "BULKHEAD-EXIT status=127"
}

check_panic() {
    boot panic "$base -- /bin/sh -c 'echo c > /proc/sysrq-trigger; echo still-alive'"
    ends_by_itself   # -no-reboot: the reset after the panic (PSCI SYSTEM_RESET; on a PC ACPI, i8042 or triple fault) ends QEMU
    has_text "Kernel panic"
    if grep -q '^BULKHEAD-EXIT ' "$clean"; then fail "an exit line after a panic"; fi
    if grep -qx 'still-alive' "$clean"; then fail "the workload survived the panic"; fi
}

have_fdtput=1
command -v fdtput >/dev/null || have_fdtput=0

echo "arch $arch: $image, $initrd"
run_case exit_status "exit 3 through the kernel command line$([[ $arch == arm64 ]] && echo " (GICv2)")"
run_case zone_name "bulkhead.zone-name= on the command line sets the hostname"
run_case signal "death by SIGKILL"
run_case missing "a missing program gives 127"
run_case not_executable "a non-executable file gives 126"
run_case no_workload "no workload at all gives 127, no hang"
run_case unterminated_line "the exit line starts a line of its own"
run_case orphans "init does not wait for the workload's orphans"
run_case kernel_chatter "kernel messages while the exit line goes out do not break it"
run_case smp_busy "two CPUs busy, both finish"
run_case devmem "/dev/mem reads RAM"
if [[ $arch != arm64 ]]; then
    :  # no device tree on x86-64: the workload comes from the command line
elif [[ $have_fdtput == 1 ]]; then
    run_case dt_workload "workload from the device tree node (args, env, cwd, zone-name)"
    run_case dt_bad_cwd "a bad working directory gives 127"
    run_case dt_no_command "a DT node without command: the command line's workload, the DT's zone name"
else
    summary+=("SKIP dt_* (no fdtput: apt-get install device-tree-compiler)")
fi
if [[ $arch == arm64 ]]; then  # the virt machine's virtio-mmio disks; a PC has none
    run_case root_disk "bulkhead.root: the workload runs on the disk, which ends clean"
    run_case root_disk_ro "bulkhead.root-mode=ro: the disk is read-only and unchanged"
    run_case root_disk_not_ext4 "a root disk that is not ext4: the reason, status 127"
fi
run_case panic "sysrq crash: panic, reset, no exit line"

echo
printf '%s\n' "${summary[@]}"
echo "image: $(stat -c %s "$image") bytes, initramfs: $(stat -c %s "$initrd") bytes"
[[ -n ${uptime_to_workload:-} ]] &&
    echo "boot ($arch): workload running at guest uptime ${uptime_to_workload}s; QEMU start to BULKHEAD-START" \
         "${start_wall}s wall; full boot to the end ${boot_wall}s wall"
echo "$passed passed, $failures failed"
[[ $failures == 0 ]]
