# SPDX-License-Identifier: GPL-2.0-only
# Scenario manifests: tests/scenarios/aarch64/NAME.dts -> 
# ${CMAKE_BINARY_DIR}/tests/scenarios/NAME.dtb. dtc finds the /incbin/ images
# in BH_GUEST_DIR; the guests a manifest embeds are read from its
# /incbin/("NAME.bin") lines, so a new manifest needs no CMake change.
find_program(BH_DTC dtc REQUIRED)
set(BH_SCENARIO_SRC ${BULKHEAD_ROOT}/tests/scenarios/aarch64)
set(BH_SCENARIO_OUT ${CMAKE_BINARY_DIR}/tests/scenarios)
file(MAKE_DIRECTORY ${BH_SCENARIO_OUT})

file(GLOB bh_dts_files CONFIGURE_DEPENDS ${BH_SCENARIO_SRC}/*.dts)
set(bh_dtbs)
foreach(dts ${bh_dts_files})
  get_filename_component(name ${dts} NAME_WE)
  # Re-configure when a manifest changes, in case it embeds other guests.
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
  add_custom_command(OUTPUT ${dtb}
    COMMAND ${BH_DTC} -q -I dts -O dtb -i ${BH_GUEST_DIR} -o ${dtb} ${dts}
    DEPENDS ${dts} ${guests}
    COMMENT "dtc ${name}.dtb"
    VERBATIM)
  list(APPEND bh_dtbs ${dtb})
endforeach()
add_custom_target(bh-scenario-manifests ALL DEPENDS ${bh_dtbs})
