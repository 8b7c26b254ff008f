// SPDX-License-Identifier: GPL-2.0-only
// One popped descriptor chain, already validated: every buffer lies inside
// the zone's RAM, device-readable buffers come before device-writable ones,
// at most queue-size buffers, at most 2^32 bytes. The chain is read from
// guest memory exactly once, while it is validated, so the driver changing
// descriptors afterwards cannot change what was checked; device models see
// only this copy.
#pragma once

#include <bulkhead/virtio/driver_error.hpp>
#include <bulkhead/virtio/ints.hpp>

#include <vector>

namespace bh::virtio {

class GuestMemory;

struct Segment {
    u64 addr = 0; // guest-physical
    u32 len = 0;
};

struct DescriptorChain {
    u16 head = 0;                  // what goes back in the used ring
    std::vector<Segment> readable; // in chain order
    std::vector<Segment> writable;
    u64 readable_bytes = 0;
    u64 writable_bytes = 0;

    // Empties the chain but keeps the vectors' storage for the next one.
    void clear();
};

// Where a chain's descriptors live and what the driver negotiated.
struct ChainRules {
    u64 table = 0;         // the queue's descriptor table (validated)
    u16 queue_size = 0;    // entries in it; also the longest chain allowed
    bool indirect = false; // VIRTIO_F_INDIRECT_DESC negotiated
};

// Walks the chain starting at descriptor `head` (< queue_size) into `out`,
// following at most one indirect table, and checks every rule above.
// Returns the first rule broken (`out` is then meaningless), or none.
DriverError walk_chain(const GuestMemory& mem, const ChainRules& rules, u16 head, DescriptorChain& out);

} // namespace bh::virtio
