# SPDX-License-Identifier: GPL-2.0-only
# control-domain.data-disk, the second boot on the same data disk
# (data-disk): the records and logs of the first boot, told truthfully.
mount | grep ' on /var/lib/bulkhead type ext4 ' && echo "result: boot2-mounted-ext4"
zonectl list
# One line per zone: the objects of `zonectl list -o json`, split.
zones_by_line() { zonectl list -o json | tr -d ' \n' | sed 's/},{/}\n{/g'; echo; }
zones_by_line >/tmp/zones
cat /tmp/zones
grep '"name":"finished"' /tmp/zones | grep '"state":"exited"' | grep -q '"exit_status":5' && echo "result: finished-exited-5"
zonectl logs finished | tr -d '\r' | grep -qx marker-data-disk && echo "result: finished-logs-marker"
runner=$(grep '"name":"runner"' /tmp/zones)
[ -n "$runner" ] && ! echo "$runner" | grep -q '"state":"running"' && echo "result: runner-not-running"
echo "$runner" | grep '"state":"crashed"' | grep -q '"exit_reason":"node-restarted"' && echo "result: runner-node-restarted"
created=$(zonectl info finished -o json | tr -d ' \n' | grep -o '"created_at":[0-9]*' | cut -d: -f2)
echo "result: finished-created $created"
timeout 120 zonectl destroy finished && echo "result: destroyed-finished"
echo "--- zoned.log"; cat /var/log/zoned.log
