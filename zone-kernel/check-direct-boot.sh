#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boots the zone kernel and initramfs directly in QEMU (no hypervisor) and
# checks zone-init end to end: exit lines (status, signal, cannot start) and
# the kexec'd exit stub (which powers off when no hypervisor takes its call),
# the kernel command line and device tree workload interfaces, SMP, /dev/mem,
# and that a kernel panic resets the machine (QEMU -no-reboot then exits).
# Every boot must end by itself (PSCI SYSTEM_OFF or reset) within the timeout.
#
# Usage: zone-kernel/check-direct-boot.sh [--image Image] [--initrd initramfs.cpio]
#                                         [--only NAME] [--verbose]
# Defaults: build/zone-kernel/{Image,initramfs.cpio}. Needs qemu-system-aarch64
# and, for the device tree cases, fdtput (device-tree-compiler).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
image="$root/build/zone-kernel/Image"
initrd="$root/build/zone-kernel/initramfs.cpio"
only=""
verbose=0
timeout_s=${BOOT_TIMEOUT:-120}
while [[ $# -gt 0 ]]; do
    case "$1" in
        --image) image=$2; shift 2 ;;
        --initrd) initrd=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --verbose|-v) verbose=1; shift ;;
        -h|--help) sed -n '3,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "check-direct-boot: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
for f in "$image" "$initrd"; do
    [[ -f $f ]] || { echo "check-direct-boot: missing $f (build the zone-kernel target)" >&2; exit 2; }
done
command -v qemu-system-aarch64 >/dev/null || { echo "check-direct-boot: needs qemu-system-aarch64" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

machine="virt,gic-version=3"
cpus=2
failures=0
passed=0
declare -a summary=()

# boot NAME APPEND [DTB] -> $log (raw), $clean (CR stripped), $rc, $secs
boot() {
    local name=$1 append=$2 dtb=${3:-}
    log="$tmp/$name.log"
    clean="$tmp/$name.txt"
    local -a cmd=(qemu-system-aarch64 -M "$machine" -cpu cortex-a57 -smp "$cpus" -m 256
                  -nographic -no-reboot -kernel "$image" -initrd "$initrd" -append "$append")
    [[ -n $dtb ]] && cmd+=(-dtb "$dtb")
    local t0 t1
    t0=$(date +%s%N)
    timeout "$timeout_s" "${cmd[@]}" </dev/null >"$log" 2>&1
    rc=$?
    t1=$(date +%s%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
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
    # NOT_SUPPORTED and the stub powers off, which ends_by_itself checks.
    has_text "kexec_core: Starting new kernel"
    if grep -q '^zone-init: cannot .* exit stub' "$clean"; then fail "the exit stub did not run"; fi
}

run_case() {  # NAME DESCRIPTION: body in check_NAME
    local name=$1 desc=$2
    [[ -n $only && $only != "$name" ]] && return 0
    case_failed=0
    log="$tmp/$name.log" clean="$tmp/$name.txt" secs=0
    : >"$clean"
    echo "== $name: $desc"
    "check_$name"
    if [[ $case_failed == 0 ]]; then
        passed=$((passed + 1)); summary+=("PASS $name (${secs}s)")
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
    qemu-system-aarch64 -M "$machine,dumpdtb=$out" -cpu cortex-a57 -smp "$cpus" -m 256 \
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

base="console=ttyAMA0 earlycon panic=-1"

check_exit_status() {
    # The brief's own command line, GICv2 (QEMU's default) on purpose.
    local saved=$machine; machine=virt
    boot exit_status "$base -- /bin/sh -c 'uname -a; nproc; cat /proc/uptime; exit 3'"
    machine=$saved
    ends_by_itself
    one_record "BULKHEAD-EXIT status=3"
    has_text "Linux zone 6.1"
    has_line "$cpus"
    uptime_to_workload=$(grep -E '^[0-9]+\.[0-9]+ [0-9]+\.[0-9]+$' "$clean" | head -n1 | cut -d' ' -f1)
    boot_wall=$secs
    echo "  guest uptime when the workload ran: ${uptime_to_workload:-?}s; whole boot to power-off: ${secs}s wall"
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
    # RAM starts at 0x40000000 on virt; the kernel Image is loaded there.
    boot devmem "$base -- /bin/sh -c 'dd if=/dev/mem bs=4096 skip=262144 count=1 2>/dev/null | wc -c'"
    ends_by_itself
    has_line "4096"
    one_record "BULKHEAD-EXIT status=0"
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

check_panic() {
    boot panic "$base -- /bin/sh -c 'echo c > /proc/sysrq-trigger; echo still-alive'"
    ends_by_itself   # -no-reboot: the PSCI SYSTEM_RESET after the panic ends QEMU
    has_text "Kernel panic"
    if grep -q '^BULKHEAD-EXIT ' "$clean"; then fail "an exit line after a panic"; fi
    if grep -qx 'still-alive' "$clean"; then fail "the workload survived the panic"; fi
}

have_fdtput=1
command -v fdtput >/dev/null || have_fdtput=0

run_case exit_status "exit 3 through the kernel command line (GICv2)"
run_case zone_name "bulkhead.zone-name= on the command line sets the hostname"
run_case signal "death by SIGKILL"
run_case missing "a missing program gives 127"
run_case not_executable "a non-executable file gives 126"
run_case no_workload "no workload at all gives 127, no hang"
run_case unterminated_line "the exit line starts a line of its own"
run_case orphans "init does not wait for the workload's orphans"
run_case smp_busy "two CPUs busy, both finish"
run_case devmem "/dev/mem reads RAM"
if [[ $have_fdtput == 1 ]]; then
    run_case dt_workload "workload from the device tree node (args, env, cwd, zone-name)"
    run_case dt_bad_cwd "a bad working directory gives 127"
    run_case dt_no_command "a DT node without command: the command line's workload, the DT's zone name"
else
    summary+=("SKIP dt_* (no fdtput: apt-get install device-tree-compiler)")
fi
run_case panic "sysrq crash: panic, reset, no exit line"

echo
printf '%s\n' "${summary[@]}"
echo "image: $(stat -c %s "$image") bytes, initramfs: $(stat -c %s "$initrd") bytes"
[[ -n ${uptime_to_workload:-} ]] &&
    echo "boot: workload running at guest uptime ${uptime_to_workload}s; full boot+power-off ${boot_wall}s wall"
echo "$passed passed, $failures failed"
[[ $failures == 0 ]]
