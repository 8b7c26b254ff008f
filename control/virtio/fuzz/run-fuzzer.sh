#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs the virtio fuzzer for a bounded time from the checked-in seed corpus
# (CTest: control.virtio-fuzz). Each run starts from a fresh working corpus,
# so the seed alone replays it: libFuzzer prints "INFO: Seed: N" first;
# replay with BULKHEAD_FUZZ_SEED=N. A failing input is saved in WORKDIR as
# crash-* (run FUZZER on that file to reproduce it).
#   run-fuzzer.sh FUZZER SEED_CORPUS WORKDIR
set -eu
fuzzer=$1 seeds=$2 work=$3
rm -rf "$work"
mkdir -p "$work/corpus"
seed_arg=""
if [ -n "${BULKHEAD_FUZZ_SEED:-}" ]; then
    seed_arg="-seed=$BULKHEAD_FUZZ_SEED"
fi
echo "virtio fuzz ($(basename "$fuzzer")): replay with BULKHEAD_FUZZ_SEED=<the Seed below> and this test's ctest -R"
exec "$fuzzer" $seed_arg -max_total_time=20 -runs=3000000 -max_len=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$seeds"
