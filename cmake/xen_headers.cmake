# SPDX-License-Identifier: GPL-2.0-only
# Xen's public ioreq_t layout (Debian libxen-dev, xen/hvm/ioreq.h) for the
# freestanding hypervisor: the headers are copied into the build tree, so
# no host header directory is on the freestanding include path.
find_file(BH_XEN_IOREQ_H xen/hvm/ioreq.h PATHS /usr/include NO_DEFAULT_PATH)
if(NOT BH_XEN_IOREQ_H)
  message(FATAL_ERROR "xen/hvm/ioreq.h not found: apt-get install libxen-dev")
endif()
set(BULKHEAD_XEN_INCLUDE ${CMAKE_BINARY_DIR}/xen-include)
configure_file(${BH_XEN_IOREQ_H} ${BULKHEAD_XEN_INCLUDE}/xen/hvm/ioreq.h COPYONLY)
# And the PVH boot ABI's hvm_start_info (xen/arch-x86/hvm/start_info.h), which
# x86 Linux zones with a PVH entry are started with.
find_file(BH_XEN_START_INFO_H xen/arch-x86/hvm/start_info.h PATHS /usr/include NO_DEFAULT_PATH)
if(NOT BH_XEN_START_INFO_H)
  message(FATAL_ERROR "xen/arch-x86/hvm/start_info.h not found: apt-get install libxen-dev")
endif()
configure_file(${BH_XEN_START_INFO_H} ${BULKHEAD_XEN_INCLUDE}/xen/arch-x86/hvm/start_info.h COPYONLY)
