# SPDX-License-Identifier: GPL-2.0-only
# bh_guest_manifests(SRC_DIR OUT_DIR DTBS_VAR): compiles every SRC_DIR/NAME.dts
# into OUT_DIR/NAME.dtb with dtc, finding /incbin/ images in BH_GUEST_DIR.
# The guests a manifest embeds are read from its /incbin/("NAME.bin") lines,
# so a new manifest needs no CMake change. Sets DTBS_VAR to the dtb paths.
find_program(BH_DTC dtc REQUIRED)

function(bh_guest_manifests src_dir out_dir dtbs_var)
  file(MAKE_DIRECTORY ${out_dir})
  file(GLOB dts_files CONFIGURE_DEPENDS ${src_dir}/*.dts)
  set(dtbs)
  foreach(dts ${dts_files})
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
    set(dtb ${out_dir}/${name}.dtb)
    add_custom_command(OUTPUT ${dtb}
      COMMAND ${BH_DTC} -q -I dts -O dtb -i ${BH_GUEST_DIR} -o ${dtb} ${dts}
      DEPENDS ${dts} ${guests}
      COMMENT "dtc ${name}.dtb"
      VERBATIM)
    list(APPEND dtbs ${dtb})
  endforeach()
  set(${dtbs_var} ${dtbs} PARENT_SCOPE)
endfunction()
