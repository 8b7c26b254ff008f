// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/frame_allocator.hpp>
#include <bulkhead/log.hpp>

namespace bh {

void FrameAllocator::set(Region& r, u64 i, bool used) {
    u64 bit = u64(1) << (i % 64);
    bool was = r.bitmap[i / 64] & bit;
    if (used == was) return;
    if (used) {
        r.bitmap[i / 64] |= bit;
        --r.free;
    } else {
        r.bitmap[i / 64] &= ~bit;
        ++r.free;
    }
}

Status FrameAllocator::add_region(HostPhys base, u64 size) {
    LockGuard g(lock_);
    if (region_count_ == kMaxRegions) return Status::no_memory;
    u64 start = align_up(base.raw(), kPageSize);
    u64 end = align_down(base.raw() + size, kPageSize);
    if (end <= start) return Status::invalid_argument;
    u64 pages = (end - start) / kPageSize;
    u64 bitmap_bytes = align_up(align_up(pages, 64) / 8, kPageSize);
    u64 bitmap_pages = bitmap_bytes / kPageSize;
    if (bitmap_pages >= pages) return Status::invalid_argument;
    for (unsigned i = 0; i < region_count_; ++i) {
        Range<HostPhys> a{regions_[i].base, regions_[i].pages * kPageSize};
        if (a.overlaps({HostPhys(start), end - start})) return Status::invalid_argument;
    }
    Region& r = regions_[region_count_++];
    r.base = HostPhys(start);
    r.pages = pages;
    r.bitmap = phys_to_ptr<u64>(HostPhys(start));
    for (u64 w = 0; w < bitmap_bytes / 8; ++w) r.bitmap[w] = 0;
    r.free = pages;
    // Frames past the end of the last bitmap word do not exist: mark them used
    // so that searches never return them, without counting them.
    for (u64 i = pages; i < bitmap_bytes * 8; ++i) r.bitmap[i / 64] |= u64(1) << (i % 64);
    for (u64 i = 0; i < bitmap_pages; ++i) set(r, i, true);
    r.bitmap_pages = bitmap_pages;
    return Status::ok;
}

void FrameAllocator::reserve(HostPhys base, u64 size) {
    LockGuard g(lock_);
    u64 start = align_down(base.raw(), kPageSize);
    u64 end = align_up(base.raw() + size, kPageSize);
    for (unsigned n = 0; n < region_count_; ++n) {
        Region& r = regions_[n];
        u64 rs = r.base.raw(), re = rs + r.pages * kPageSize;
        u64 s = start > rs ? start : rs, e = end < re ? end : re;
        for (u64 a = s; a < e; a += kPageSize) set(r, (a - rs) / kPageSize, true);
    }
}

FrameAllocator::Region* FrameAllocator::region_of(HostPhys pa, u64 pages) {
    for (unsigned n = 0; n < region_count_; ++n) {
        Region& r = regions_[n];
        if (pa >= r.base && (pa - r.base) / kPageSize < r.pages && pages <= r.pages - (pa - r.base) / kPageSize &&
            pa.aligned(kPageSize))
            return &r;
    }
    return nullptr;
}

Status FrameAllocator::claim(HostPhys base, u64 pages) {
    LockGuard g(lock_);
    Region* r = region_of(base, pages);
    if (!r || pages == 0) return Status::invalid_argument;
    u64 first = (base - r->base) / kPageSize;
    for (u64 i = 0; i < pages; ++i)
        if (test(*r, first + i)) return Status::busy;
    for (u64 i = 0; i < pages; ++i) set(*r, first + i, true);
    return Status::ok;
}

bool FrameAllocator::find_run(const Region& r, u64 pages, u64 align_pages, u64& first) const {
    // Index alignment must follow physical alignment, which the region base may not share.
    u64 base_frame = r.base.raw() / kPageSize;
    u64 i = align_up(base_frame, align_pages) - base_frame;
    while (i + pages <= r.pages) {
        // Skip whole used words quickly.
        if (r.bitmap[i / 64] == ~u64(0) && i % 64 == 0) {
            i = align_up(base_frame + i + 64, align_pages) - base_frame;
            continue;
        }
        u64 n = 0;
        while (n < pages && !test(r, i + n)) ++n;
        if (n == pages) {
            first = i;
            return true;
        }
        i = align_up(base_frame + i + n + 1, align_pages) - base_frame;
    }
    return false;
}

bool FrameAllocator::alloc(u64 pages, u64 align_pages, HostPhys& out) {
    if (pages == 0 || align_pages == 0 || (align_pages & (align_pages - 1))) return false;
    LockGuard g(lock_);
    for (unsigned n = 0; n < region_count_; ++n) {
        Region& r = regions_[n];
        if (r.free < pages) continue;
        u64 first;
        if (!find_run(r, pages, align_pages, first)) continue;
        for (u64 i = 0; i < pages; ++i) set(r, first + i, true);
        out = r.base + first * kPageSize;
        return true;
    }
    return false;
}

void FrameAllocator::free(HostPhys base, u64 pages) {
    LockGuard g(lock_);
    Region* r = region_of(base, pages);
    if (!r)
        panic("frame allocator: free of [%#llx, +%llu pages) outside every region",
              static_cast<unsigned long long>(base.raw()), static_cast<unsigned long long>(pages));
    u64 first = (base - r->base) / kPageSize;
    if (first < r->bitmap_pages)
        panic("frame allocator: free of [%#llx, +%llu pages) overlaps the allocator's own bitmap",
              static_cast<unsigned long long>(base.raw()), static_cast<unsigned long long>(pages));
    for (u64 i = 0; i < pages; ++i) {
        if (!test(*r, first + i))
            panic("frame allocator: double free of frame %#llx",
                  static_cast<unsigned long long>((r->base + (first + i) * kPageSize).raw()));
        set(*r, first + i, false);
    }
}

u64 FrameAllocator::free_pages() const {
    LockGuard g(lock_);
    u64 n = 0;
    for (unsigned i = 0; i < region_count_; ++i) n += regions_[i].free;
    return n;
}

u64 FrameAllocator::total_pages() const {
    LockGuard g(lock_);
    u64 n = 0;
    for (unsigned i = 0; i < region_count_; ++i) n += regions_[i].pages;
    return n;
}

u64 FrameAllocator::largest_free_run(u64 align_pages) const {
    LockGuard g(lock_);
    u64 best = 0;
    for (unsigned n = 0; n < region_count_; ++n) {
        const Region& r = regions_[n];
        u64 base_frame = r.base.raw() / kPageSize;
        u64 run = 0;
        for (u64 i = 0; i < r.pages; ++i) {
            if (test(r, i)) {
                run = 0;
                continue;
            }
            if (run == 0 && !is_aligned(base_frame + i, align_pages)) continue;
            if (++run > best) best = run;
        }
    }
    return best;
}

} // namespace bh
