# SPDX-License-Identifier: GPL-2.0-only
# tests/scenarios/x86_64/NAME.dts -> ${CMAKE_BINARY_DIR}/tests/scenarios/NAME.dtb
# and NAME.iso (GRUB, the hypervisor, the manifest: boot/x86_64/mkiso.sh).
find_program(BH_DTC dtc REQUIRED)
find_program(BH_GRUB_MKRESCUE grub-mkrescue REQUIRED)
set(BH_SCENARIO_SRC ${BULKHEAD_ROOT}/tests/scenarios/x86_64)
set(BH_SCENARIO_OUT ${CMAKE_BINARY_DIR}/tests/scenarios)
set(BH_MKISO ${BULKHEAD_ROOT}/boot/x86_64/mkiso.sh)
file(MAKE_DIRECTORY ${BH_SCENARIO_OUT})

file(GLOB bh_dts_files CONFIGURE_DEPENDS ${BH_SCENARIO_SRC}/*.dts)
set(bh_outputs)
foreach(dts ${bh_dts_files})
  get_filename_component(name ${dts} NAME_WE)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${dts})
  file(STRINGS ${dts} incbins REGEX "/incbin/")
  set(guests)
  foreach(line ${incbins})
    if(line MATCHES "/incbin/\\(\"([A-Za-z0-9_-]+)\\.bin\"\\)")
      if(NOT TARGET guest-${CMAKE_MATCH_1})
        message(FATAL_ERROR "${dts} embeds ${CMAKE_MATCH_1}.bin, but no guest of that name is built")
      endif()
      list(APPEND guests guest-${CMAKE_MATCH_1})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES guests)
  set(dtb ${BH_SCENARIO_OUT}/${name}.dtb)
  set(iso ${BH_SCENARIO_OUT}/${name}.iso)
  add_custom_command(OUTPUT ${dtb}
    COMMAND ${BH_DTC} -q -I dts -O dtb -i ${BH_GUEST_DIR} -o ${dtb} ${dts}
    DEPENDS ${dts} ${guests}
    COMMENT "dtc ${name}.dtb"
    VERBATIM)
  add_custom_command(OUTPUT ${iso}
    COMMAND ${BH_MKISO} ${iso} $<TARGET_FILE:bulkhead> ${dtb}
    DEPENDS ${dtb} bulkhead ${BH_MKISO} ${BULKHEAD_ROOT}/boot/x86_64/grub.cfg
    COMMENT "grub-mkrescue ${name}.iso"
    VERBATIM)
  list(APPEND bh_outputs ${dtb} ${iso})
endforeach()
add_custom_target(bh-scenario-manifests ALL DEPENDS ${bh_outputs})
