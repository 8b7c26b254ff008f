// SPDX-License-Identifier: GPL-2.0-only
// Physical frame allocator: one bitmap per RAM region, first fit.
//
// First fit keeps allocations low and compact and, usefully, hands the same
// frames back after a zone is destroyed and another of the same size is
// created. The bitmap lives in the first frames of its own region.
#pragma once

#include <bulkhead/spinlock.hpp>
#include <bulkhead/status.hpp>
#include <bulkhead/types.hpp>

namespace bh {

class FrameAllocator {
  public:
    static constexpr unsigned kMaxRegions = 8;

    // Hands over the RAM [base, base + size); both are rounded inward to pages.
    Status add_region(HostPhys base, u64 size);
    // Marks [base, base + size) as in use (hypervisor image, boot blobs).
    // Parts outside every region are ignored.
    void reserve(HostPhys base, u64 size);
    // Claims exactly [base, base + pages) if every frame in it is free.
    Status claim(HostPhys base, u64 pages);
    // Finds `pages` contiguous free frames aligned to `align_pages` (a power
    // of two). Returns false when there is no such run.
    bool alloc(u64 pages, u64 align_pages, HostPhys& out);
    void free(HostPhys base, u64 pages);

    u64 free_pages() const;
    u64 total_pages() const;
    // The largest run of free frames with the given alignment.
    u64 largest_free_run(u64 align_pages) const;

  private:
    struct Region {
        HostPhys base;
        u64 pages = 0;
        u64* bitmap = nullptr; // bit set = frame in use
        u64 free = 0;
        u64 bitmap_pages = 0; // the region's first frames hold its bitmap
    };
    static bool test(const Region& r, u64 i) { return r.bitmap[i / 64] >> (i % 64) & 1; }
    static void set(Region& r, u64 i, bool used);
    Region* region_of(HostPhys pa, u64 pages);
    bool find_run(const Region& r, u64 pages, u64 align_pages, u64& first) const;

    mutable Spinlock lock_{LockLevel::allocator};
    Region regions_[kMaxRegions];
    unsigned region_count_ = 0;
};

// All RAM the hypervisor manages is mapped 1:1 at EL2 (and, for the fake
// arch, "physical" addresses are ordinary host pointers), so converting is a
// cast; keeping it in one function marks every place that relies on it.
template <class T>
inline T* phys_to_ptr(HostPhys pa) {
    return reinterpret_cast<T*>(static_cast<uintptr_t>(pa.raw()));
}
inline HostPhys ptr_to_phys(const void* p) { return HostPhys(reinterpret_cast<uintptr_t>(p)); }

} // namespace bh
