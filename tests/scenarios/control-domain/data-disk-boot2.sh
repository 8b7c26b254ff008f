# SPDX-License-Identifier: GPL-2.0-only
# control-domain.data-disk, the second boot on the same data disk
# (data-disk): the records and logs of the first boot, told truthfully.
mount | grep ' on /var/lib/bulkhead type ext4 ' && echo "result: boot2-mounted-ext4"
zonectl list
# One line per zone: the objects of the list, split.
zonectl list -o json | tr -d ' \n' | sed 's/},{/}\n{/g' >/tmp/zones
cat /tmp/zones
grep '"name":"done"' /tmp/zones | grep '"state":"exited"' | grep -q '"exit_status":5' && echo "result: done-exited-5"
zonectl logs done | tr -d '\r' | grep -qx marker-data-disk && echo "result: done-logs-marker"
runner=$(grep '"name":"runner"' /tmp/zones)
[ -n "$runner" ] && ! echo "$runner" | grep -q '"state":"running"' && echo "result: runner-not-running"
echo "$runner" | grep '"state":"crashed"' | grep -q '"exit_reason":"node-restarted"' && echo "result: runner-node-restarted"
created=$(zonectl info done -o json | tr -d ' \n' | grep -o '"created_at":[0-9]*' | cut -d: -f2)
echo "result: done-created $created"
timeout 120 zonectl destroy done && echo "result: destroyed-done"
echo "--- zoned.log"; cat /var/log/zoned.log
