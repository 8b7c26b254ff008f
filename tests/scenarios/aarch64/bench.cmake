# SPDX-License-Identifier: GPL-2.0-only
# i. Benchmarks: the bench guest on bare QEMU and in a zone, and the zone
#    switch pair; prints a comparison table. Passes whenever all three runs
#    ran to completion: numbers are reported, never judged.
add_test(NAME aarch64.bench
  COMMAND ${Python3_EXECUTABLE} ${BULKHEAD_ROOT}/tests/runner/bench_report.py
          --hypervisor ${BH_HYPERVISOR}
          --native-image ${BH_GUESTS}/bench.elf
          --manifest ${BH_MANIFESTS}/bench.dtb
          --switch-manifest ${BH_MANIFESTS}/bench-switch.dtb
          --reports ${BH_REPORTS} --timeout ${BH_RUN_TIMEOUT})
set_tests_properties(aarch64.bench PROPERTIES LABELS bench TIMEOUT 240 PROCESSORS 2)
