# SPDX-License-Identifier: GPL-2.0-only
# Run in the control domain by launch-bench: `zonectl launch --wait` of a
# workload that exits at once, timed from the command to its return with
# the control domain's clock (/proc/uptime, 10 ms), RUNS times.
ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
i=0
while [ $i -lt RUNS ]; do
    t0=$(ms)
    timeout 300 zonectl launch --wait "bench$i" -- true >/dev/null 2>&1
    s=$?
    t1=$(ms)
    echo "bench: launch-wait-ms $((t1 - t0)) status $s"
    zonectl destroy "bench$i" >/dev/null
    i=$((i + 1))
done
