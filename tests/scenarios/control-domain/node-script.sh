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
# zoned SIGKILLed while zones run, one ends meanwhile, zoned starts again:
# that one is listed as exited with its status; the other, still running,
# takes console input through the restarted zoned (its backend outlived
# the old zoned; the new one re-attaches to it).
timeout 60 zonectl launch --memory 64M restart -- sh -c 'sleep 2; exit 4' >/dev/null 2>&1
timeout 60 zonectl launch --memory 64M reader -- sh -c 'read line; echo "got: $line"; exit 6' || echo "launch reader failed: $?"
kill -9 $(pidof zoned)
sleep 15
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
# A zone fd serves only its zone: the driver selftest's refusals (another
# zone cannot be mapped or interrupted through this zone's descriptor).
chmod +x /tmp/bhtest 2>/dev/null
if [ -x /tmp/bhtest ]; then
    t 300 /tmp/bhtest /tmp/guest.bin >/tmp/bhtest.out 2>&1
    grep -q 'ok: io(other, BULKHEAD_ZONE_MAP, &map) == -EPERM' /tmp/bhtest.out && echo "result: other-zone-refused"
    grep FAIL /tmp/bhtest.out
fi
echo "--- zoned.log"; cat /var/log/zoned.log
