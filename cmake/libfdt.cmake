# SPDX-License-Identifier: GPL-2.0-only
# libfdt's sources come from Debian's linux-source package (scripts/dtc/libfdt).
# They are unpacked once into a cache outside the source tree, keyed by the
# tarball's name, and compiled with the hypervisor's own freestanding flags.
set(BULKHEAD_LINUX_SOURCE_TARBALL "/usr/src/linux-source-6.1.tar.xz" CACHE FILEPATH
    "Debian linux-source tarball providing scripts/dtc/libfdt")
if(DEFINED ENV{BULKHEAD_CACHE_DIR})
  set(_bh_cache "$ENV{BULKHEAD_CACHE_DIR}")
else()
  set(_bh_cache "$ENV{HOME}/.cache/bulkhead")
endif()
get_filename_component(_tarname "${BULKHEAD_LINUX_SOURCE_TARBALL}" NAME_WE)
set(LIBFDT_DIR "${_bh_cache}/${_tarname}-libfdt")
if(NOT EXISTS "${LIBFDT_DIR}/fdt_ro.c")
  if(NOT EXISTS "${BULKHEAD_LINUX_SOURCE_TARBALL}")
    message(FATAL_ERROR "libfdt: ${BULKHEAD_LINUX_SOURCE_TARBALL} is missing; "
            "install it with: apt-get install linux-source-6.1")
  endif()
  file(MAKE_DIRECTORY "${LIBFDT_DIR}.tmp")
  execute_process(
    COMMAND tar -xJf "${BULKHEAD_LINUX_SOURCE_TARBALL}" --wildcards --strip-components=4
            -C "${LIBFDT_DIR}.tmp" "*/scripts/dtc/libfdt/*"
    RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "libfdt: could not unpack it from ${BULKHEAD_LINUX_SOURCE_TARBALL}")
  endif()
  file(REMOVE_RECURSE "${LIBFDT_DIR}")
  file(RENAME "${LIBFDT_DIR}.tmp" "${LIBFDT_DIR}")
endif()
set(LIBFDT_SOURCES
  ${LIBFDT_DIR}/fdt.c ${LIBFDT_DIR}/fdt_ro.c ${LIBFDT_DIR}/fdt_rw.c
  ${LIBFDT_DIR}/fdt_sw.c ${LIBFDT_DIR}/fdt_wip.c ${LIBFDT_DIR}/fdt_strerror.c
  ${LIBFDT_DIR}/fdt_addresses.c ${LIBFDT_DIR}/fdt_empty_tree.c)
