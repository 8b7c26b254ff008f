# SPDX-License-Identifier: GPL-2.0-only
# Third-party libraries of zoned and zonectl, for the host and for the
# arm64 cross build alike: Debian's CLI11 and nlohmann-json are header-only
# and architecture-independent (/usr/include), SQLite and libseccomp come
# from multiarch -dev packages (:arm64 for the cross build). Debian's cross
# g++ searches /usr/include and /usr/lib/aarch64-linux-gnu itself, so each
# library is checked by compiling against it and linked by name, rather
# than found by CMake's re-rooted search (which would look under
# /usr/aarch64-linux-gnu only).
#
# Sets BULKHEAD_CONTROL_DEPS_FOUND and BULKHEAD_CONTROL_DEPS_MISSING (the
# Debian packages to install).
include(CheckIncludeFileCXX)
include(CMakePushCheckState)

set(BULKHEAD_CONTROL_DEPS_MISSING "")
function(_bulkhead_control_need header package)
  string(MAKE_C_IDENTIFIER "BULKHEAD_HAVE_${header}" var)
  check_include_file_cxx(${header} ${var})
  if(NOT ${var})
    set(BULKHEAD_CONTROL_DEPS_MISSING "${BULKHEAD_CONTROL_DEPS_MISSING} ${package}" PARENT_SCOPE)
  endif()
endfunction()

if(CMAKE_CROSSCOMPILING)
  set(_arch_suffix ":arm64")
else()
  set(_arch_suffix "")
endif()
cmake_push_check_state(RESET)
set(CMAKE_REQUIRED_FLAGS "-std=c++20")
_bulkhead_control_need(nlohmann/json.hpp nlohmann-json3-dev)
_bulkhead_control_need(CLI/CLI.hpp libcli11-dev)
_bulkhead_control_need(sqlite3.h libsqlite3-dev${_arch_suffix})
_bulkhead_control_need(seccomp.h libseccomp-dev${_arch_suffix})
cmake_pop_check_state()

if(BULKHEAD_CONTROL_DEPS_MISSING STREQUAL "")
  set(BULKHEAD_CONTROL_DEPS_FOUND ON)
  if(NOT TARGET bulkhead_sqlite3)
    add_library(bulkhead_sqlite3 INTERFACE)
    target_link_libraries(bulkhead_sqlite3 INTERFACE sqlite3)
    add_library(bulkhead_seccomp INTERFACE)
    target_link_libraries(bulkhead_seccomp INTERFACE seccomp)
  endif()
else()
  set(BULKHEAD_CONTROL_DEPS_FOUND OFF)
endif()
