// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/virtio/guest_memory.hpp>

#include <atomic>
#include <cstring>

namespace bh::virtio {

GuestMemory::GuestMemory(u64 base, u64 size, u8* host) : base_(base), size_(size), host_(host) {
    // A mapping that itself wrapped past 2^64 would make contains() lie.
    if (size_ > ~base_) size_ = ~base_;
}

bool GuestMemory::read(u64 gpa, void* dst, usize len) const {
    if (!contains(gpa, len)) return false;
    if (len) std::memcpy(dst, host_at(gpa), len);
    return true;
}

bool GuestMemory::write(u64 gpa, const void* src, usize len) {
    if (!contains(gpa, len)) return false;
    if (len) std::memcpy(host_at(gpa), src, len);
    return true;
}

namespace {

// The host address is aligned when the guest address is, as long as the
// mapping keeps the two congruent (mmap and operator new both give at least
// 16-byte alignment and zone RAM starts page-aligned); checked anyway, since
// std::atomic_ref requires it.
bool host_aligned(const u8* p) { return reinterpret_cast<std::uintptr_t>(p) % alignof(u16) == 0; }

} // namespace

bool GuestMemory::load_u16(u64 gpa, u16& value) const {
    if (gpa % sizeof(u16) || !contains(gpa, sizeof(u16))) return false;
    u8* p = host_at(gpa);
    if (!host_aligned(p)) return false;
    value = from_le(std::atomic_ref<u16>(*reinterpret_cast<u16*>(p)).load(std::memory_order_relaxed));
    return true;
}

bool GuestMemory::store_u16(u64 gpa, u16 value) {
    if (gpa % sizeof(u16) || !contains(gpa, sizeof(u16))) return false;
    u8* p = host_at(gpa);
    if (!host_aligned(p)) return false;
    std::atomic_ref<u16>(*reinterpret_cast<u16*>(p)).store(to_le(value), std::memory_order_relaxed);
    return true;
}

} // namespace bh::virtio
