# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the node tests (node-acceptance, data-disk): checks of the
# `result:` lines a node script printed into the log $log; `failed` is set
# to 1 by any that fails.
failed=0
# A line `result: WHAT` was printed.
expect() {
    if grep -q "^\[control\] result: $1\$" "$log"; then echo "ok: $1"; else echo "FAIL: $1"; failed=1; fi
}
# `result: WHAT SECONDS` was printed, a time within a day of the host's now.
near_now() {
    t=$(sed -n "s/^\[control\] result: $1 \([0-9][0-9]*\)\$/\1/p" "$log" | head -n1)
    now=$(date +%s)
    if [ -n "$t" ] && [ $((t > now ? t - now : now - t)) -lt 86400 ]; then
        echo "ok: $1 $t (host $now)"
    else
        echo "FAIL: $1 '$t' is not within a day of the host's time $now"
        failed=1
    fi
}
