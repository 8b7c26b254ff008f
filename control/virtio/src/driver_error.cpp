// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/virtio/driver_error.hpp>

namespace bh::virtio {

const char* describe(DriverError e) {
    switch (e) {
    case DriverError::none: return "none";
    case DriverError::queue_size: return "queue size invalid";
    case DriverError::queue_alignment: return "queue misaligned";
    case DriverError::queue_outside_memory: return "queue outside guest memory";
    case DriverError::avail_index_jump: return "available index jumped past the queue size";
    case DriverError::head_out_of_range: return "chain head out of range";
    case DriverError::next_out_of_range: return "next descriptor out of range";
    case DriverError::chain_too_long: return "chain longer than the queue (loop)";
    case DriverError::chain_too_large: return "chain larger than 4 GiB";
    case DriverError::buffer_outside_memory: return "buffer outside guest memory";
    case DriverError::readable_after_writable: return "readable descriptor after a writable one";
    case DriverError::indirect_not_negotiated: return "indirect descriptor not negotiated";
    case DriverError::indirect_with_next: return "indirect descriptor with NEXT";
    case DriverError::indirect_nested: return "nested indirect descriptor";
    case DriverError::indirect_length: return "indirect table length invalid";
    case DriverError::indirect_outside_memory: return "indirect table outside guest memory";
    case DriverError::wrong_direction: return "buffer of the wrong direction for this queue";
    case DriverError::driver_ok_too_early: return "DRIVER_OK before FEATURES_OK";
    case DriverError::used_ring_unwritable: return "used ring unwritable";
    case DriverError::notify_no_such_queue: return "notify for a queue the device does not have";
    case DriverError::notify_flood: return "a flood of notifies with nothing new to look at";
    }
    return "unknown";
}

} // namespace bh::virtio
