# SPDX-License-Identifier: GPL-2.0-only
# Run in the control domain by launch-bench: `zonectl launch --wait` of a
# workload that exits at once, timed from the command to its return with
# the control domain's clock (/proc/uptime, 10 ms), RUNS times.
# Then: the same on a Debian root disk, the launch steps zoned logged,
# launch+destroy cycles, console
# throughput and memory per zone (each printed as a `bench:` line).
ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
# timed_launches KEY NAME [OPTION...]: RUNS launches --wait of `true` as
# zones NAME0, NAME1, ..., each timed and destroyed ("bench: KEY-ms T status S").
timed_launches() {
    key=$1 name=$2
    shift 2
    i=0
    while [ $i -lt RUNS ]; do
        t0=$(ms)
        timeout 300 zonectl launch --wait "$@" "$name$i" -- true >/dev/null 2>&1
        s=$?
        t1=$(ms)
        echo "bench: $key-ms $((t1 - t0)) status $s"
        zonectl destroy "$name$i" >/dev/null
        i=$((i + 1))
    done
}
timed_launches launch-wait bench
# The same on a Debian root disk (the node's disk labelled bulkhead-root,
# read-only so that every run starts alike): `launch --wait --root`.
rootdisk=
for d in /dev/vd?; do
    [ "$(dd if="$d" bs=1 skip=1144 count=13 2>/dev/null)" = bulkhead-root ] && rootdisk=$d
done
[ -n "$rootdisk" ] && timed_launches launch-root rooted --root "$rootdisk:ro"
# Where a launch's time goes: zoned logs each launch's steps.
grep "launched (handle" /var/log/zoned.log | sed 's/^/bench: steps /'
# Launch and destroy rate: a zone started and destroyed at once (its
# kernel barely begins), RUNS times back to back.
t0=$(ms)
i=0
while [ $i -lt RUNS ]; do
    timeout 120 zonectl launch "cycle$i" -- true >/dev/null 2>&1 && timeout 120 zonectl destroy --force "cycle$i" >/dev/null 2>&1 ||
        echo "bench: cycle $i failed"
    i=$((i + 1))
done
echo "bench: cycles RUNS ms $(($(ms) - t0))"
# Console throughput: a zone writing 1 MiB to hvc0, beside one writing
# nothing; the difference is the time the megabyte takes to reach its log.
t0=$(ms)
timeout 300 zonectl launch --wait quiet -- true >/dev/null 2>&1
quiet_ms=$(($(ms) - t0))
zonectl destroy quiet >/dev/null # two 256 MiB zones do not fit beside a 512 MiB control domain
t0=$(ms)
timeout 600 zonectl launch --wait loud -- sh -c 'head -c 1048576 /dev/zero | tr "\000" x' >/dev/null 2>&1
loud_ms=$(($(ms) - t0))
echo "bench: console-bytes $(zonectl logs loud | tr -d '\r\n' | wc -c) quiet-ms $quiet_ms loud-ms $loud_ms"
zonectl destroy loud >/dev/null
# Memory per running zone: three idle zones; each backend's resident set,
# and the hypervisor's free memory taken beyond the zones' own RAM.
free_mem() { zonectl host info -o json | tr -d ' \n' | grep -o '"free_memory":[0-9]*' | cut -d: -f2; }
f0=$(free_mem)
for z in idle0 idle1 idle2; do timeout 120 zonectl launch --memory 64M "$z" -- sleep 600 >/dev/null 2>&1; done
sleep 20
f1=$(free_mem)
echo "bench: hypervisor-bytes-per-zone $(((f0 - f1) / 3 - 64 * 1048576))"
for pid in $(zonectl list -o json | tr -d ' \n' | grep -o '"pid":[0-9]*' | cut -d: -f2); do
    # smaps_rollup walks the page tables; VmRSS in status lags (the kernel
    # batches its counters per thread) and shows a few KiB here.
    echo "bench: backend-rss-kib $(awk '/^Rss:/ { print $2 }' /proc/$pid/smaps_rollup) pss-kib $(awk '/^Pss:/ { print $2 }' /proc/$pid/smaps_rollup) ($(cat /proc/$pid/comm) $pid)"
done
for z in idle0 idle1 idle2; do zonectl destroy --force "$z" >/dev/null; done
# Disk throughput (issue 11): sequential 1 MiB writes (flushed at the
# end) and reads (O_DIRECT) of DISK_MIB, by the control domain on a file
# of its data disk, and by a zone on its virtio-blk disk, a file on the
# same data disk served by its backend. The control domain's page cache
# is dropped before each read, so neither read is served from memory the
# other lacks. The ratio zone / control domain is the brokering's cost.
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches; }
if grep -q " /var/lib/bulkhead " /proc/mounts; then
    f=/var/lib/bulkhead/bench-direct.img
    t0=$(ms)
    dd if=/dev/zero of=$f bs=1M count=DISK_MIB conv=fsync 2>/dev/null
    t1=$(ms)
    drop_caches
    t2=$(ms)
    dd if=$f of=/dev/null bs=1M iflag=direct 2>/dev/null
    t3=$(ms)
    echo "bench: disk-direct write-ms $((t1 - t0)) read-ms $((t3 - t2)) mib DISK_MIB"
    rm -f $f
    img=/var/lib/bulkhead/bench-zone.img
    dd if=/dev/zero of=$img bs=1M count=DISK_MIB 2>/dev/null
    # The zone's own clock times its dd (launch and boot are not counted).
    timed() { # NAME COMMAND: the zone runs COMMAND and prints NAME-ms
        timeout 900 zonectl launch --wait --disk $img "$1" -- sh -c "
            t0=\$(awk '{ printf \"%d\", \$1 * 1000 }' /proc/uptime)
            $2 2>/dev/null
            echo $1-ms \$((\$(awk '{ printf \"%d\", \$1 * 1000 }' /proc/uptime) - t0))" 2>&1 |
            tr -d '\r' | grep "^$1-ms " | cut -d' ' -f2
        zonectl destroy "$1" >/dev/null
    }
    w=$(timed dwrite "dd if=/dev/zero of=/dev/vda bs=1M count=DISK_MIB oflag=direct conv=fsync")
    drop_caches
    r=$(timed dread "dd if=/dev/vda of=/dev/null bs=1M iflag=direct")
    echo "bench: disk-zone write-ms $w read-ms $r mib DISK_MIB"
    rm -f $img
else
    echo "bench: disk skipped: no data disk"
fi
