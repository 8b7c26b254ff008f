# SPDX-License-Identifier: GPL-2.0-only
# tests/scenarios/x86_64/NAME.dts -> ${CMAKE_BINARY_DIR}/tests/scenarios/NAME.dtb
# (cmake/guest_manifests.cmake) and NAME.iso (GRUB, the hypervisor, the
# manifest: boot/x86_64/mkiso.sh).
include(${BULKHEAD_ROOT}/cmake/guest_manifests.cmake)
find_program(BH_GRUB_MKRESCUE grub-mkrescue REQUIRED)
set(BH_SCENARIO_OUT ${CMAKE_BINARY_DIR}/tests/scenarios)
set(BH_MKISO ${BULKHEAD_ROOT}/boot/x86_64/mkiso.sh)
bh_guest_manifests(${BULKHEAD_ROOT}/tests/scenarios/x86_64 ${BH_SCENARIO_OUT} bh_dtbs)

set(bh_outputs ${bh_dtbs})
foreach(dtb ${bh_dtbs})
  get_filename_component(name ${dtb} NAME_WE)
  set(iso ${BH_SCENARIO_OUT}/${name}.iso)
  add_custom_command(OUTPUT ${iso}
    COMMAND ${BH_MKISO} ${iso} $<TARGET_FILE:bulkhead> ${dtb}
    DEPENDS ${dtb} bulkhead ${BH_MKISO} ${BULKHEAD_ROOT}/boot/x86_64/grub.cfg
    COMMENT "grub-mkrescue ${name}.iso"
    VERBATIM)
  list(APPEND bh_outputs ${iso})
endforeach()
# A variant booted with a hypervisor command line (a debug switch):
# state-crossing-no-vpid.iso runs VMX as on a CPU without VPIDs.
set(iso ${BH_SCENARIO_OUT}/state-crossing-no-vpid.iso)
add_custom_command(OUTPUT ${iso}
  COMMAND ${BH_MKISO} ${iso} $<TARGET_FILE:bulkhead> ${BH_SCENARIO_OUT}/state-crossing.dtb vmx-no-vpid
  DEPENDS ${BH_SCENARIO_OUT}/state-crossing.dtb bulkhead ${BH_MKISO} ${BULKHEAD_ROOT}/boot/x86_64/grub.cfg
  COMMENT "grub-mkrescue state-crossing-no-vpid.iso"
  VERBATIM)
list(APPEND bh_outputs ${iso})
# two-zones-held-up.iso: the hypervisor's first TSC measurement is held up
# past the PIT's count-down (pit-held-up), as a busy host's CPU can be.
set(iso ${BH_SCENARIO_OUT}/two-zones-held-up.iso)
add_custom_command(OUTPUT ${iso}
  COMMAND ${BH_MKISO} ${iso} $<TARGET_FILE:bulkhead> ${BH_SCENARIO_OUT}/two-zones.dtb pit-held-up
  DEPENDS ${BH_SCENARIO_OUT}/two-zones.dtb bulkhead ${BH_MKISO} ${BULKHEAD_ROOT}/boot/x86_64/grub.cfg
  COMMENT "grub-mkrescue two-zones-held-up.iso"
  VERBATIM)
list(APPEND bh_outputs ${iso})
add_custom_target(bh-scenario-manifests ALL DEPENDS ${bh_outputs})
