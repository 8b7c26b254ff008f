# SPDX-License-Identifier: GPL-2.0-only
# Scenario manifests: tests/scenarios/aarch64/NAME.dts ->
# ${CMAKE_BINARY_DIR}/tests/scenarios/NAME.dtb (cmake/guest_manifests.cmake).
include(${BULKHEAD_ROOT}/cmake/guest_manifests.cmake)
set(BH_SCENARIO_OUT ${CMAKE_BINARY_DIR}/tests/scenarios)
bh_guest_manifests(${BULKHEAD_ROOT}/tests/scenarios/aarch64 ${BH_SCENARIO_OUT} bh_dtbs)
add_custom_target(bh-scenario-manifests ALL DEPENDS ${bh_dtbs})
