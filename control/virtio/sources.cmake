# SPDX-License-Identifier: GPL-2.0-only
# The virtio library's sources and flags, shared by the library target and
# the fuzzer's own clang build (fuzz/CMakeLists.txt).
set(BULKHEAD_VIRTIO_DIR ${CMAKE_CURRENT_LIST_DIR})
set(BULKHEAD_VIRTIO_SOURCES
  ${BULKHEAD_VIRTIO_DIR}/src/block_device.cpp
  ${BULKHEAD_VIRTIO_DIR}/src/block_store.cpp
  ${BULKHEAD_VIRTIO_DIR}/src/chain_io.cpp
  ${BULKHEAD_VIRTIO_DIR}/src/console_device.cpp
  ${BULKHEAD_VIRTIO_DIR}/src/descriptor_chain.cpp
  ${BULKHEAD_VIRTIO_DIR}/src/driver_error.cpp
  ${BULKHEAD_VIRTIO_DIR}/src/guest_memory.cpp
  ${BULKHEAD_VIRTIO_DIR}/src/mmio_transport.cpp
  ${BULKHEAD_VIRTIO_DIR}/src/split_queue.cpp
  ${BULKHEAD_VIRTIO_DIR}/src/transport_process.cpp
  ${BULKHEAD_VIRTIO_DIR}/src/transport_status.cpp
  ${BULKHEAD_VIRTIO_DIR}/src/work_budget.cpp)
set(BULKHEAD_VIRTIO_INCLUDE ${BULKHEAD_VIRTIO_DIR}/include)
# Guest-controlled values flow through every line: implicit narrowing and
# sign changes are errors, not warnings.
set(BULKHEAD_VIRTIO_WARNINGS -Wall -Wextra -Werror -Wshadow -Wundef -Wconversion -Wsign-conversion
  -Wold-style-cast -Wnon-virtual-dtor -Woverloaded-virtual -Wno-missing-field-initializers)
