// SPDX-License-Identifier: GPL-2.0-only
// The descriptor walk (virtio 1.2, 2.7.5). Two bounds keep it finite
// whatever the driver wrote: each table is walked at most as many steps as
// it has entries (a longer walk must revisit a descriptor: a loop), and a
// chain holds at most queue-size buffers in total (the spec's limit, which
// also caps an indirect table bigger than the queue).
#include <bulkhead/virtio/descriptor_chain.hpp>
#include <bulkhead/virtio/guest_memory.hpp>
#include <bulkhead/virtio/uapi.hpp>

namespace bh::virtio {

void DescriptorChain::clear() {
    head = 0;
    readable.clear();
    writable.clear();
    readable_bytes = 0;
    writable_bytes = 0;
}

namespace {

// A descriptor as it was when we read it: a local copy, little-endian
// fields converted.
struct Descriptor {
    u64 addr;
    u32 len;
    u16 flags;
    u16 next;
};

bool read_descriptor(const GuestMemory& mem, u64 table, u32 index, Descriptor& d) {
    vring_desc raw;
    if (!mem.read(table + u64{index} * kDescriptorSize, &raw, sizeof raw)) return false;
    d = {from_le(u64{raw.addr}), from_le(u32{raw.len}), from_le(u16{raw.flags}), from_le(u16{raw.next})};
    return true;
}

constexpr u64 kMaxChainBytes = u64{1} << 32; // 2.7.5: "longer than 2^32 bytes in total" is forbidden

// The table the walk is in: the queue's own, or the one indirect table.
struct Table {
    u64 addr;
    u32 entries;
    u32 steps_left; // loop bound: no more steps than entries
    bool indirect;
};

} // namespace

DriverError walk_chain(const GuestMemory& mem, const ChainRules& rules, u16 head, DescriptorChain& out) {
    out.clear();
    out.head = head;
    if (head >= rules.queue_size) return DriverError::head_out_of_range;

    Table t{rules.table, rules.queue_size, rules.queue_size, false};
    u32 index = head;
    u32 buffers = 0;
    for (;;) {
        if (index >= t.entries) return DriverError::next_out_of_range;
        if (t.steps_left == 0) return DriverError::chain_too_long;
        --t.steps_left;

        Descriptor d;
        if (!read_descriptor(mem, t.addr, index, d))
            return t.indirect ? DriverError::indirect_outside_memory : DriverError::queue_outside_memory;

        if (d.flags & VRING_DESC_F_INDIRECT) {
            // 2.7.5.3: one table per chain, which ends the main chain; its
            // WRITE flag means nothing and is ignored.
            if (!rules.indirect) return DriverError::indirect_not_negotiated;
            if (t.indirect) return DriverError::indirect_nested;
            if (d.flags & VRING_DESC_F_NEXT) return DriverError::indirect_with_next;
            if (d.len == 0 || d.len % kDescriptorSize) return DriverError::indirect_length;
            if (!mem.contains(d.addr, d.len)) return DriverError::indirect_outside_memory;
            u32 entries = d.len / kDescriptorSize;
            t = {d.addr, entries, entries, true};
            index = 0;
            continue;
        }

        if (!mem.contains(d.addr, d.len)) return DriverError::buffer_outside_memory;
        if (++buffers > rules.queue_size) return DriverError::chain_too_long;
        if (d.flags & VRING_DESC_F_WRITE) {
            out.writable.push_back({d.addr, d.len});
            out.writable_bytes += d.len;
        } else {
            if (!out.writable.empty()) return DriverError::readable_after_writable;
            out.readable.push_back({d.addr, d.len});
            out.readable_bytes += d.len;
        }
        if (out.readable_bytes + out.writable_bytes > kMaxChainBytes) return DriverError::chain_too_large;

        if (!(d.flags & VRING_DESC_F_NEXT)) return DriverError::none;
        index = d.next;
    }
}

} // namespace bh::virtio
