# SPDX-License-Identifier: GPL-2.0-only
# Run by the control domain's shell (control-domain.hostile-virtio): a
# neighbour zone ticks while the hostile-virtio test zone
# (tests/guests/aarch64/zones/hostile_virtio.cpp, in /tmp) breaks its own
# virtio-console every way it can; then the hostile-block test zone
# (hostile_block.cpp) sends malformed requests to its own two disks. Each
# check prints a `result:` line the runner asserts. Every wait is bounded (busybox timeout).
t() { timeout "$@"; }
# A field of `zonectl info -o json ZONE`, its value unquoted: info ZONE
# FIELD for the zone's own, backend ZONE FIELD for its backend's.
json() { zonectl info -o json "$1" | tr -d ' \n'; }
field() { grep -o "\"$1\":[^,}]*" | cut -d: -f2 | tr -d '"'; }
info() { json "$1" | sed 's/"backend":{[^}]*}//' | field "$2"; }
backend() { json "$1" | grep -o '"backend":{[^}]*}' | field "$2"; }
ticks=TICKS

t 120 zonectl launch neighbour -- sh -c "i=0; while [ \$i -lt $ticks ]; do echo tick \$i; sleep 1; i=\$((i+1)); done; exit 0" \
    >/dev/null 2>&1
echo "result: neighbour-launch $?"
i=0
until zonectl logs neighbour 2>/dev/null | grep -q '^tick 0'; do
    i=$((i + 1))
    [ $i -gt 120 ] && break
    sleep 1
done
zonectl logs neighbour | grep -q '^tick 0' && echo "result: neighbour-ticking"
nb_pid=$(backend neighbour pid)
echo "neighbour backend: pid $nb_pid"

started=$(date +%s)
t 900 zonectl launch --wait --memory 64M --kernel /tmp/hostile-virtio.bin hostile -- hostile-virtio >/tmp/hostile.out 2>&1
echo "result: hostile-status $?"
echo "hostile zone: $(($(date +%s) - started)) s from launch to its exit"
sed 's/^/hostile-console: /' /tmp/hostile.out
zonectl logs hostile >/tmp/hostile.log 2>&1
grep -q '^hostile-virtio: device still serves' /tmp/hostile.log && echo "result: still-serves"
grep -q '^hostile-virtio: the device serves after the flood' /tmp/hostile.log && echo "result: serves-after-flood"
# The full ring the flood rang for: every chain used once, none twice.
echo "result: flood-chains $(grep -c '^hostile-virtio: flood chain' /tmp/hostile.log)"
# Its own backend answered to the end without dying (no restart), and
# the zone ended by its own call with status 0.
echo "result: hostile-backend-restarts $(backend hostile restarts)"
[ "$(info hostile exit_reason)" = call ] && echo "result: hostile-exited-by-call"

t 60 zonectl list >/tmp/list.out 2>&1 && grep -q neighbour /tmp/list.out && echo "result: zoned-answers"
# The neighbour ran through it all: still running, its backend the same
# process as before, never restarted.
[ "$(info neighbour state)" = running ] && echo "result: neighbour-still-running"
[ -n "$nb_pid" ] && [ "$(backend neighbour pid)" = "$nb_pid" ] && kill -0 "$nb_pid" && echo "result: neighbour-backend-alive"
echo "result: neighbour-backend-restarts $(backend neighbour restarts)"
i=0
until [ "$(info neighbour state)" = exited ]; do
    i=$((i + 1))
    [ $i -gt 300 ] && break
    sleep 1
done
echo "result: neighbour-status $(info neighbour exit_status)"
echo "result: neighbour-ticks $(zonectl logs neighbour | tr -d '\r' | grep -c '^tick [0-9]*$')"
# The hostile driver of its own disks (hostile-block): a read-write disk
# with a mark at its start, and a read-only one; it writes and flushes
# sector 2 of the first after its malformed requests.
dd if=/dev/zero of=/tmp/hb.img bs=1024 count=64 2>/dev/null
printf HOSTILE-BLOCK-DISK | dd of=/tmp/hb.img conv=notrunc 2>/dev/null
dd if=/dev/zero of=/tmp/hb-ro.img bs=1024 count=16 2>/dev/null
printf READ-ONLY-DISK | dd of=/tmp/hb-ro.img conv=notrunc 2>/dev/null
cp /tmp/hb-ro.img /tmp/hb-ro.orig
t 600 zonectl launch --wait --memory 64M --kernel /tmp/hostile-block.bin --disk /tmp/hb.img --disk /tmp/hb-ro.img:ro \
    hblock -- hostile-block >/tmp/hblock.out 2>&1
echo "result: hostile-block-status $?"
sed 's/^/hostile-block-console: /' /tmp/hblock.out
[ "$(dd if=/tmp/hb.img bs=512 skip=2 count=1 2>/dev/null | head -c 18)" = HOSTILE-WROTE-THIS ] &&
    echo "result: hostile-block-wrote-the-file"
cmp -s /tmp/hb-ro.img /tmp/hb-ro.orig && echo "result: hostile-block-read-only-unchanged"
echo "result: hostile-block-backend-restarts $(backend hblock restarts)"
t 120 zonectl destroy hblock >/dev/null

t 120 zonectl destroy hostile && t 120 zonectl destroy neighbour && echo "result: destroyed"
echo "result: control-shell-at-end"
echo "--- zoned.log"
cat /var/log/zoned.log
