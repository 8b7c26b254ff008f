// SPDX-License-Identifier: GPL-2.0-only
#include "driver_queue.hpp"

#include <cstring>

namespace bh::virtio::test {

DriverQueue::DriverQueue(VectorGuestMemory& mem, u64 desc, u64 avail, u64 used, u16 size)
    : mem_(mem), desc_(desc), avail_(avail), used_(used), size_(size) {}

void DriverQueue::put16(u64 gpa, u16 v) {
    v = to_le(v);
    std::memcpy(mem_.host(gpa), &v, sizeof v);
}

u16 DriverQueue::get16(u64 gpa) const {
    u16 v;
    std::memcpy(&v, const_cast<VectorGuestMemory&>(mem_).host(gpa), sizeof v);
    return from_le(v);
}

void DriverQueue::set_desc(u16 i, u64 addr, u32 len, u16 flags, u16 next, u64 table) {
    vring_desc d;
    d.addr = to_le(addr);
    d.len = to_le(len);
    d.flags = to_le(flags);
    d.next = to_le(next);
    std::memcpy(mem_.host((table ? table : desc_) + u64{i} * sizeof d), &d, sizeof d);
}

u16 DriverQueue::write_chain(u16 first, std::initializer_list<Buffer> buffers) {
    u16 i = first;
    usize left = buffers.size();
    for (const Buffer& b : buffers) {
        u16 flags = b.writable ? VRING_DESC_F_WRITE : 0;
        if (--left) flags |= VRING_DESC_F_NEXT;
        set_desc(i, b.addr, b.len, flags, static_cast<u16>(i + 1));
        ++i;
    }
    return first;
}

void DriverQueue::publish(u16 head) {
    const u16 idx = avail_idx();
    put16(avail_ + 4 + 2u * (idx % size_), head);
    put16(avail_ + 2, static_cast<u16>(idx + 1));
}

void DriverQueue::set_avail_idx(u16 idx) { put16(avail_ + 2, idx); }
u16 DriverQueue::avail_idx() const { return get16(avail_ + 2); }
void DriverQueue::set_avail_flags(u16 flags) { put16(avail_, flags); }
void DriverQueue::set_used_event(u16 value) { put16(avail_ + 4 + 2u * size_, value); }
u16 DriverQueue::avail_event() const { return get16(used_ + 4 + 8u * size_); }
u16 DriverQueue::used_idx() const { return get16(used_ + 2); }

UsedElem DriverQueue::used_elem(u16 i) const {
    vring_used_elem e;
    std::memcpy(&e, const_cast<VectorGuestMemory&>(mem_).host(used_ + 4 + 8u * (i % size_)), sizeof e);
    return {from_le(u32{e.id}), from_le(u32{e.len})};
}

void DriverQueue::fill(u64 addr, std::string_view text) { std::memcpy(mem_.host(addr), text.data(), text.size()); }

std::string_view DriverQueue::bytes_at(u64 addr, u32 len) {
    return {reinterpret_cast<const char*>(mem_.host(addr)), len};
}

} // namespace bh::virtio::test
