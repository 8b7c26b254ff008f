// SPDX-License-Identifier: GPL-2.0-only
// The driver's side of a split virtqueue, built by hand in test guest
// memory: descriptors, available ring, and reading back the used ring.
// Tests use it to build both well-formed queues and every kind of broken
// one the device must survive.
#pragma once

#include <bulkhead/virtio/ints.hpp>
#include <bulkhead/virtio/uapi.hpp>
#include <bulkhead/virtio/vector_guest_memory.hpp>

#include <initializer_list>
#include <string_view>

namespace bh::virtio::test {

struct Buffer {
    u64 addr;
    u32 len;
    bool writable = false;
};

struct UsedElem {
    u32 id;
    u32 len;
};

class DriverQueue {
  public:
    DriverQueue(VectorGuestMemory& mem, u64 desc, u64 avail, u64 used, u16 size);

    u64 desc() const { return desc_; }
    u64 avail() const { return avail_; }
    u64 used() const { return used_; }
    u16 size() const { return size_; }

    // Descriptor `i` of the table at `table` (the queue's own by default).
    void set_desc(u16 i, u64 addr, u32 len, u16 flags, u16 next, u64 table = 0);
    // `buffers` as one chain in descriptors first, first + 1, ...
    u16 write_chain(u16 first, std::initializer_list<Buffer> buffers);
    // Puts `head` in the available ring and bumps avail.idx.
    void publish(u16 head);
    void set_avail_idx(u16 idx);
    u16 avail_idx() const;
    void set_avail_flags(u16 flags);
    void set_used_event(u16 value);
    u16 avail_event() const;
    u16 used_idx() const;
    UsedElem used_elem(u16 i) const;

    // Writes `text` at `addr` (a buffer's contents).
    void fill(u64 addr, std::string_view text);
    std::string_view bytes_at(u64 addr, u32 len);

  private:
    void put16(u64 gpa, u16 v);
    u16 get16(u64 gpa) const;

    VectorGuestMemory& mem_;
    u64 desc_, avail_, used_;
    u16 size_;
};

} // namespace bh::virtio::test
