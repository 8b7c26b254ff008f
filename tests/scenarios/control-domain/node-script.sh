# SPDX-License-Identifier: GPL-2.0-only
# Run by the control domain's shell (node-acceptance): the issue 9
# acceptance items, each printing a `result:` line the runner checks.
# Every wait is bounded (busybox timeout).
t() { timeout "$@"; }
# One line per zone: the objects of `zonectl list -o json`, split.
zones_by_line() { zonectl list -o json | tr -d ' \n' | sed 's/},{/}\n{/g'; echo; }
free_mem() { zonectl host info -o json | tr -d ' \n' | grep -o '"free_memory":[0-9]*' | cut -d: -f2; }
free0=$(free_mem)
echo "result: free-before $free0"
# The control domain's wall clock, from its PL031 (checked on the host).
echo "result: clock $(date +%s)"
t 600 zonectl launch --wait hello -- sh -c 'echo hi; exit 3' >/tmp/hello.out 2>&1
echo "result: launch-status $?"
sed 's/^/hello-console: /' /tmp/hello.out
tr -d '\r' </tmp/hello.out | grep -qx hi && echo "result: printed-hi"
zonectl list -o json | tr -d ' \n' >/tmp/list.json
grep -q '"state":"exited"' /tmp/list.json && grep -q '"exit_status":3' /tmp/list.json && echo "result: listed-exited-3"
echo "result: hello-created $(grep -o '"created_at":[0-9]*' /tmp/list.json | cut -d: -f2)"
t 120 zonectl destroy hello && echo "result: destroyed-hello"
i=0
while [ $i -lt ${LOOPS:-10} ]; do
    t 600 zonectl launch --wait "loop$i" -- true >/dev/null 2>&1 || echo "loop $i: launch failed: $?"
    t 120 zonectl destroy "loop$i" || echo "loop $i: destroy failed"
    i=$((i + 1))
done
free1=$(free_mem)
echo "result: free-after $free1"
[ -n "$free0" ] && [ "$free0" = "$free1" ] && echo "result: memory-back"
[ "$(zonectl list -o json | tr -d ' \n')" = "[]" ] && echo "result: list-empty"
if [ "${ONLY:-all}" = launch ]; then # launch and exit only (a slow emulator)
    echo "--- zoned.log"
    cat /var/log/zoned.log
    exit 0
fi
# zoned SIGKILLed while zones run, one ends meanwhile, zoned starts again:
# that one is listed as exited with its status; the other, still running,
# takes console input through the restarted zoned (its backend outlived
# the old zoned; the new one re-attaches to it).
timeout 60 zonectl launch --memory 64M restart -- sh -c 'sleep 2; exit 4' >/dev/null 2>&1
timeout 60 zonectl launch --memory 64M reader -- sh -c 'read line; echo "got: $line"; exit 6' || echo "launch reader failed: $?"
kill -9 $(pidof zoned)
# Until 'restart' has ended: its backend, which outlived zoned, logs zone
# init's last line (bounded; a loaded machine boots zones slowly).
i=0
while [ $i -lt 300 ] && ! grep -q BULKHEAD-EXIT /var/lib/bulkhead/zoned/logs/restart/console.log 2>/dev/null; do
    sleep 1
    i=$((i + 1))
done
echo "restart: its exit logged ${i} s after zoned was killed"
sleep 2 # the exit call follows the line
start-zoned
zones_by_line >/tmp/zones
cat /tmp/zones
grep '"name":"restart"' /tmp/zones | grep '"state":"exited"' | grep -q '"exit_status":4' && echo "result: restart-exited-4"
echo through-restart | timeout 300 zonectl console reader >/tmp/reader.out 2>&1
sed 's/^/reader-console: /' /tmp/reader.out
zonectl logs reader | tr -d '\r' | grep -qx 'got: through-restart' && echo "result: reader-got-input"
zones_by_line | grep '"name":"reader"' | grep '"state":"exited"' |
    grep -q '"exit_status":6' && echo "result: reader-exited-6"
timeout 120 zonectl destroy restart >/dev/null
timeout 120 zonectl destroy --force reader >/dev/null
# Bad input: each refused with an error that names the zone and says what
# to do, and nothing changes (the zones listed, the free memory).
t 120 zonectl launch taken -- sleep 600 >/dev/null 2>&1
zonectl list -o json | tr -d ' \n' >/tmp/list-before.json
free_before=$(free_mem)
refused() { # WHAT TEXT COMMAND...: the command fails and says TEXT
    what=$1 text=$2
    shift 2
    out=$("$@" 2>&1) && { echo "bad input $what: accepted: $out"; return; }
    echo "bad-input $what: $out"
    case $out in *"$text"*) echo "result: refused-$what" ;; esac
}
refused unknown-zone "zone 'nosuch' does not exist" zonectl destroy nosuch
refused duplicate-name "zone 'taken' already exists" t 60 zonectl launch taken -- true
refused too-much-memory "zone 'big' needs 32 GiB" t 60 zonectl launch --memory 32G big -- true
case $(uname -m) in
x86_64) not_a_kernel="not an x86-64 Linux kernel" ;;
*) not_a_kernel="not an arm64 Linux Image" ;;
esac
refused not-a-kernel "$not_a_kernel" t 60 zonectl launch --kernel /etc/bulkhead/node-init k -- true
refused zero-vcpus "--vcpus must be at least 1" t 60 zonectl launch --vcpus 0 v -- true
refused missing-initrd "cannot open --initrd" t 60 zonectl launch --initrd /nonexistent.cpio i -- true
refused directory-initrd "not a regular file" t 60 zonectl launch --initrd /tmp i -- true
zonectl list -o json | tr -d ' \n' >/tmp/list-after.json
[ "$(free_mem)" = "$free_before" ] && cmp -s /tmp/list-before.json /tmp/list-after.json &&
    echo "result: bad-input-changed-nothing"
t 120 zonectl destroy --force taken >/dev/null
# Disks (issue 11, item 1): a zone sees --disk files as virtio-blk disks
# served by its backend: it reads what the file holds, its write reaches
# the file once flushed (conv=fsync: a FLUSH request), and a :ro disk is
# read-only in the zone and unchanged. A disk of part of a sector is
# refused and nothing is launched.
dd if=/dev/zero of=/tmp/disk.img bs=1024 count=4096 2>/dev/null
printf BULKHEAD-DISK-IN | dd of=/tmp/disk.img conv=notrunc 2>/dev/null
dd if=/dev/zero of=/tmp/ro.img bs=1024 count=1024 2>/dev/null
printf READ-ONLY-DISK | dd of=/tmp/ro.img conv=notrunc 2>/dev/null
cp /tmp/ro.img /tmp/ro.orig
t 600 zonectl launch --wait --disk /tmp/disk.img --disk /tmp/ro.img:ro disks -- sh -c '
    echo "vda: $(head -c 16 /dev/vda)"
    echo "vdb: $(head -c 14 /dev/vdb)"
    echo "sizes: $(cat /sys/block/vda/size) $(cat /sys/block/vdb/size) ro: $(cat /sys/block/vda/ro) $(cat /sys/block/vdb/ro)"
    printf BULKHEAD-DISK-OUT | dd of=/dev/vda bs=512 seek=2048 conv=notrunc,fsync 2>/dev/null && echo wrote-vda
    printf x | dd of=/dev/vdb conv=notrunc,fsync 2>/dev/null && echo wrote-vdb || echo vdb-refused
    echo 3 >/proc/sys/vm/drop_caches
    echo "vda-md5: $(md5sum </dev/vda)"
    exit 5' >/tmp/disks.out 2>&1
echo "result: disks-status-$?"
tr -d '\r' </tmp/disks.out >/tmp/disks.txt
sed 's/^/disks-console: /' /tmp/disks.txt
grep -qx 'vda: BULKHEAD-DISK-IN' /tmp/disks.txt && grep -qx 'vdb: READ-ONLY-DISK' /tmp/disks.txt &&
    echo "result: disks-read"
grep -qx 'sizes: 8192 2048 ro: 0 1' /tmp/disks.txt && echo "result: disks-sized"
grep -qx wrote-vda /tmp/disks.txt && [ "$(dd if=/tmp/disk.img bs=512 skip=2048 count=1 2>/dev/null | head -c 17)" = BULKHEAD-DISK-OUT ] &&
    echo "result: disk-written"
grep -qx vdb-refused /tmp/disks.txt && cmp -s /tmp/ro.img /tmp/ro.orig && echo "result: disk-ro-unchanged"
# The whole disk read back in the zone (readahead: several requests in
# flight, through the backend's io_uring) is the file.
grep -qx "vda-md5: $(md5sum </tmp/disk.img)" /tmp/disks.txt && echo "result: disk-checksum"
grep -q 'zone disks, disk 0: io_uring, up to 32 requests in flight' /var/log/zoned.log && echo "result: disk-io-uring"
zonectl info disks | grep -q "disk: *vdb /tmp/ro.img (read-only)" && echo "result: disks-in-info"
t 120 zonectl destroy disks >/dev/null
# What a zone wrote and flushed is in the file even if its backend is
# SIGKILLed at once: a zone started again on the disk reads it back.
t 60 zonectl launch --disk /tmp/disk.img flusher -- sh -c \
    'printf FLUSHED-BEFORE-KILL | dd of=/dev/vda bs=512 seek=4096 conv=notrunc,fsync 2>/dev/null && echo flushed; sleep 600' \
    >/dev/null 2>&1
i=0
while [ $i -lt 300 ] && ! zonectl logs flusher 2>/dev/null | tr -d '\r' | grep -qx flushed; do
    sleep 1
    i=$((i + 1))
done
backend=$(zonectl info -o json flusher | tr -d ' \n' | grep -o '"pid":[0-9]*' | cut -d: -f2)
echo "flusher: flushed after ${i} s, killing its backend (pid $backend)"
[ -n "$backend" ] && [ "$backend" != 0 ] && kill -9 "$backend"
t 120 zonectl destroy --force flusher >/dev/null
t 600 zonectl launch --wait --disk /tmp/disk.img:ro reread -- sh -c \
    'echo "reread: $(dd if=/dev/vda bs=512 skip=4096 count=1 2>/dev/null | head -c 19)"' >/tmp/reread.out 2>&1
tr -d '\r' </tmp/reread.out | sed 's/^/reread-console: /'
tr -d '\r' </tmp/reread.out | grep -qx 'reread: FLUSHED-BEFORE-KILL' && echo "result: flush-survives-backend-kill"
t 120 zonectl destroy reread >/dev/null
dd if=/dev/zero of=/tmp/odd.img bs=1000 count=1 2>/dev/null
zonectl list -o json | tr -d ' \n' >/tmp/list-before.json
refused partial-sector-disk "not a whole number of 512-byte sectors" t 60 zonectl launch --disk /tmp/odd.img odd -- true
refused missing-disk "cannot open --disk /nonexistent.img" t 60 zonectl launch --disk /nonexistent.img nd -- true
zonectl list -o json | tr -d ' \n' >/tmp/list-after.json
cmp -s /tmp/list-before.json /tmp/list-after.json && echo "result: bad-disk-changed-nothing"
# A root disk (issue 11, item 2: root filesystem and pivot): a Debian 12
# image (scripts/build-root-image), one of the node's own disks, found by
# its ext4 label (bulkhead-root, 16 bytes at 1144). The zone runs Debian's
# python3 on it and writes a file; a second zone, on the same disk
# read-only, reads it back; the disk is left clean between them.
rootdisk=
for d in /dev/vd?; do
    [ "$(dd if="$d" bs=1 skip=1144 count=13 2>/dev/null)" = bulkhead-root ] && rootdisk=$d
done
if [ -n "$rootdisk" ]; then
    echo "root disk: $rootdisk"
    t 600 zonectl launch --wait --root "$rootdisk" debian -- python3 -c \
        "import platform,sys; print('debian-python', sys.version_info[0], platform.machine(), open('/etc/debian_version').read().strip()); open('/root/from-zone', 'w').write('kept')" \
        >/tmp/debian.out 2>&1
    echo "result: debian-status-$?"
    tr -d '\r' </tmp/debian.out | sed 's/^/debian-console: /'
    tr -d '\r' </tmp/debian.out | grep -q "^debian-python 3 $(uname -m) 12" && echo "result: debian-python"
    zonectl info debian | grep -q "disk: *vda $rootdisk (root)" && echo "result: debian-root-in-info"
    t 120 zonectl destroy debian >/dev/null
    t 600 zonectl launch --wait --root "$rootdisk:ro" debian-again -- python3 -c \
        "print('again:', open('/root/from-zone').read()); open('/root/x', 'w')" >/tmp/again.out 2>&1
    echo "debian-again status: $?"
    tr -d '\r' </tmp/again.out | sed 's/^/again-console: /'
    tr -d '\r' </tmp/again.out | grep -qx 'again: kept' && echo "result: debian-root-kept"
    tr -d '\r' </tmp/again.out | grep -q "Read-only file system: '/root/x'" && echo "result: debian-root-read-only"
    t 120 zonectl destroy debian-again >/dev/null
fi
# An unprivileged process cannot open /dev/bulkhead, nor manage zones.
if [ -f /tmp/as-user ]; then
    chmod +x /tmp/as-user
    out=$(/tmp/as-user 65534 sh -c ': <>/dev/bulkhead' 2>&1) || case $out in
        *"Permission denied"*) echo "result: unprivileged-device-refused" ;; esac
    echo "unprivileged open: $out"
    out=$(/tmp/as-user 65534 zonectl list 2>&1) || case $out in
        *"refuses this user"*) echo "result: unprivileged-zonectl-refused" ;; esac
    echo "unprivileged zonectl: $out"
fi
# SNOOP=no skips this part (x86-node: see the note there).
if [ "${SNOOP:-yes}" = yes ]; then
    # A zone cannot reach the control domain's memory or its devices. The
    # control domain holds a marker; the zone scans all of its own RAM for it
    # (finding only its own), then reads an address in the control domain's
    # RAM above its own and the control domain's virtio disk's DeviceID register
    # (offset 8: 2, a block device, here). At that address the zone has a
    # virtio-mmio slot of its own, which no backend serves: it reads 0 there
    # (every transport, used or not, reads the magic "virt" at offset 0).
    echo "CONTROL-MARK-$((5 * 13))-SECRET" >/tmp/control-marker
    ctl_ram=$(grep 'System RAM' /proc/iomem | tail -1 | cut -d- -f2 | cut -d' ' -f1)
    ctl_addr=$(printf '0x%x' $((0x$ctl_ram - 0xfff)))
    dev=$(ls /sys/bus/platform/devices | sed -n 's/^\([0-9a-f]*\)\.virtio_mmio$/\1/p' | tail -1)
    # (A control domain with no device passed through, x86-64's today, has none.)
    dev_id=none
    [ -n "$dev" ] && dev_id=$(printf '0x%x' $((0x$dev + 8)))
    echo "snoop: control RAM ends at 0x$ctl_ram, reads $ctl_addr; its disk's DeviceID at $dev_id reads $(devmem $dev_id 32)"
    t 600 zonectl launch --wait --memory 64M snoop -- sh -c "
        echo SNOOP-MARK-\$((7 * 11))-OWN >/tmp/own
        base=\$(grep 'System RAM' /proc/iomem | head -1 | cut -d- -f1)
        R=\"dd if=/dev/mem bs=65536 skip=\$((0x\$base / 65536)) count=1024\"
        echo own-marker-hits: \$(\$R 2>/dev/null | tr -d '\\000' | grep -c 'SNOOP-MARK-7[7]-OWN')
        echo control-marker-hits: \$(\$R 2>/dev/null | tr -d '\\000' | grep -c 'CONTROL-MARK-6[5]-SECRET')
        v=\$(devmem $ctl_addr 32 2>&1); echo control-ram: \$v status \$?
        v=\$(devmem $dev_id 32 2>&1); echo control-device: \$v status \$?
        exit 0" >/tmp/snoop.out 2>&1
    echo "result: snoop-exited-$?"
    tr -d '\r' </tmp/snoop.out | sed 's/^/snoop-console: /'
    tr -d '\r' </tmp/snoop.out >/tmp/snoop.txt
    grep -q '^own-marker-hits: [1-9]' /tmp/snoop.txt && echo "result: snoop-own-marker"
    grep -q '^control-marker-hits: 0$' /tmp/snoop.txt && echo "result: snoop-no-control-marker"
    # devmem dies of SIGBUS (the hypervisor injects an external abort): no value.
    grep -q '^control-ram: .*status [1-9]' /tmp/snoop.txt && ! grep -q '^control-ram: 0x' /tmp/snoop.txt &&
        echo "result: snoop-control-ram-unreachable"
    [ "$(devmem $dev_id 32)" = 0x00000002 ] && grep -q '^control-device: ' /tmp/snoop.txt &&
        ! grep -qi '^control-device: 0x00000002' /tmp/snoop.txt && echo "result: snoop-control-device-unreachable"
    t 120 zonectl destroy snoop >/dev/null
fi
# A zone fd serves only its zone: the driver selftest's refusals (another
# zone cannot be mapped or interrupted through this zone's descriptor).
chmod +x /tmp/bhtest 2>/dev/null
if [ -x /tmp/bhtest ]; then
    t 300 /tmp/bhtest /tmp/guest.bin >/tmp/bhtest.out 2>&1
    grep -q 'ok: io(other, BULKHEAD_ZONE_MAP, &map) == -EPERM' /tmp/bhtest.out && echo "result: other-zone-refused"
    grep FAIL /tmp/bhtest.out
fi
echo "--- zoned.log"; cat /var/log/zoned.log
