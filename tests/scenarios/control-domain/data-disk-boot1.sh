# SPDX-License-Identifier: GPL-2.0-only
# control-domain.data-disk, the first boot on a new data disk (data-disk):
# a zone that prints a marker and exits 5, one that keeps running when the
# node powers off. Each check prints a `result:` line. Every wait is bounded.
mount | grep ' on /var/lib/bulkhead type ext4 ' && echo "result: boot1-mounted-ext4"
echo "result: boot1-clock $(date +%s)"
timeout 600 zonectl launch --memory 64M --wait finished -- sh -c 'echo marker-data-disk; exit 5' >/tmp/finished.out 2>&1
echo "result: boot1-finished-status $?"
timeout 600 zonectl launch --memory 64M runner -- sh -c 'while :; do sleep 5; done' || echo "launch runner failed: $?"
i=0
until zonectl info runner -o json 2>/dev/null | tr -d ' \n' | grep -q '"state":"running"' || [ $i -ge 60 ]; do
    sleep 1
    i=$((i + 1))
done
zonectl list
sync
echo "result: boot1-end"
