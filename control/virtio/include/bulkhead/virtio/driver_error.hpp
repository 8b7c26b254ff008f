// SPDX-License-Identifier: GPL-2.0-only
// What a driver did wrong. Any of these puts the device in
// DEVICE_NEEDS_RESET: the device stops touching its queues until the driver
// resets it, and the backend can log which rule was broken.
#pragma once

#include <bulkhead/virtio/ints.hpp>

namespace bh::virtio {

enum class DriverError : u8 {
    none,
    // Queue set-up, checked when the driver writes QueueReady = 1.
    queue_size,           // zero, not a power of two, or above QueueNumMax
    queue_alignment,      // descriptor table, avail or used ring misaligned
    queue_outside_memory, // a ring not wholly inside the zone's RAM
    // The available ring.
    avail_index_jump,  // avail.idx moved more than the queue size past us
    head_out_of_range, // a chain head >= the queue size
    // Descriptor chains.
    next_out_of_range,       // a next index outside its table
    chain_too_long,          // more descriptors than the queue size (a loop)
    chain_too_large,         // more than 2^32 bytes in total
    buffer_outside_memory,   // addr + len not wholly inside RAM (or wraps)
    readable_after_writable, // device-readable must come first
    indirect_not_negotiated,
    indirect_with_next,      // INDIRECT and NEXT together
    indirect_nested,         // an indirect descriptor inside a table
    indirect_length,         // zero, not a multiple of 16, or too many entries
    indirect_outside_memory, // the table itself outside RAM
    // Device rules.
    wrong_direction,      // a device-specific rule: e.g. writable in a transmitq
    driver_ok_too_early,  // DRIVER_OK without FEATURES_OK
    used_ring_unwritable, // the used ring could not be written
    notify_no_such_queue, // QueueNotify named a queue the device does not have
    notify_flood,         // more notifies in a row than the limit, none with anything new
};

// A short, stable name for logs and test messages.
const char* describe(DriverError e);

} // namespace bh::virtio
