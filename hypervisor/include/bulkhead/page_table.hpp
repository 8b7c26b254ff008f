// SPDX-License-Identifier: GPL-2.0-only
// One page-table walker for every translation format.
//
// A Format supplies the geometry (levels, bits per level, where blocks are
// allowed) and how descriptors encode output addresses and attributes; the
// walk, block selection, table allocation and teardown are written once here.
// Used for the hypervisor's own map (arm64 EL2 stage 1, x86 long mode) and
// every zone's stage-2 map (arm64 stage 2, x86 NPT and EPT), and
// unit-tested on the host.
#pragma once

#include <bulkhead/frame_allocator.hpp>
#include <bulkhead/mem_attr.hpp>
#include <bulkhead/status.hpp>
#include <bulkhead/types.hpp>

namespace bh {

template <class Format>
class PageTable {
  public:
    using Input = typename Format::Input;
    static constexpr unsigned kEntries = 512;
    static_assert(Format::kLevels >= 2 && Format::kLevels <= 4);
    static_assert(Format::kInputBits <= Format::kLeafShift + 9 * Format::kLevels);

    PageTable() = default;
    PageTable(const PageTable&) = delete;
    PageTable& operator=(const PageTable&) = delete;

    // Allocates the (zeroed) root table.
    Status init(FrameAllocator& frames) {
        frames_ = &frames;
        HostPhys pa;
        if (!alloc_table(pa)) return Status::no_memory;
        root_ = pa;
        return Status::ok;
    }
    bool valid() const { return root_.raw() != 0; }
    HostPhys root() const { return root_; }
    u64 table_pages() const { return table_pages_; }

    // Maps [in, in + size) to [out, out + size) using the largest blocks that
    // alignment allows. Fails without changing anything already mapped if a
    // part of the range is mapped already, or the input is out of range.
    Status map(Input in, HostPhys out, u64 size, MemAttr attr) {
        if (!valid() || size == 0 || !in.aligned(kPageSize) || !out.aligned(kPageSize) || !is_aligned(size, kPageSize))
            return Status::invalid_argument;
        if (in.raw() >= kInputLimit || size > kInputLimit - in.raw()) return Status::invalid_argument;
        if (out.raw() >= kOutputLimit || size > kOutputLimit - out.raw()) return Status::invalid_argument;
        for (u64 off = 0; off < size;) {
            u64 hole = unmapped_span(in + off);
            if (hole == 0) return Status::bad_state;
            off += hole;
        }
        u64 done = 0;
        while (done < size) {
            u64 step = 0;
            Status s = map_one(in + done, out + done, size - done, attr, step);
            if (s != Status::ok) {
                (void)unmap(in, done); // exactly what this call mapped: nothing to split
                return s;
            }
            done += step;
        }
        return Status::ok;
    }

    // Removes every mapping in [in, in + size). Blocks that straddle the
    // range's edges are split so that only the range goes away. The walker
    // does no TLB maintenance: the caller invalidates the address space's
    // TLB entries afterwards (zones are unmapped only while none of their
    // vCPUs runs).
    Status unmap(Input in, u64 size) {
        if (!valid() || !in.aligned(kPageSize) || !is_aligned(size, kPageSize)) return Status::invalid_argument;
        if (in.raw() >= kInputLimit || size > kInputLimit - in.raw()) return Status::invalid_argument;
        u64 off = 0;
        while (off < size) off += unmap_one(in + off, size - off);
        return Status::ok;
    }

    // Translates one input address. On success gives the output address of
    // that byte, the attributes and, optionally, the size of the leaf.
    bool lookup(Input in, HostPhys& out, MemAttr& attr, u64* leaf_size = nullptr) const {
        if (!valid() || in.raw() >= kInputLimit) return false;
        u64* table = phys_to_ptr<u64>(root_);
        for (unsigned level = kFirstLevel;; ++level) {
            u64 d = table[index(in.raw(), level)];
            if (!Format::is_valid(d)) return false;
            if (Format::is_table(d, level)) {
                table = phys_to_ptr<u64>(Format::output(d));
                continue;
            }
            u64 sz = level_size(level);
            out = Format::output(d) + (in.raw() & (sz - 1));
            attr = Format::attr(d);
            if (leaf_size) *leaf_size = sz;
            return true;
        }
    }

    // Frees every table page (not the memory it maps).
    void destroy() {
        if (!valid()) return;
        free_table(root_, kFirstLevel);
        root_ = HostPhys(0);
    }

    static constexpr unsigned kFirstLevel = 4 - Format::kLevels; // level numbers end at 3
    static constexpr u64 kInputLimit = u64(1) << Format::kInputBits;
    static constexpr u64 kOutputLimit = u64(1) << Format::kOutputBits;
    static constexpr u64 level_size(unsigned level) { return u64(1) << (Format::kLeafShift + 9 * (3 - level)); }

  private:
    static constexpr unsigned index(u64 in, unsigned level) {
        return static_cast<unsigned>((in >> (Format::kLeafShift + 9 * (3 - level))) & (kEntries - 1));
    }

    // How many bytes from `in` on are certainly unmapped (0 if `in` is mapped).
    u64 unmapped_span(Input in) const {
        u64* table = phys_to_ptr<u64>(root_);
        for (unsigned level = kFirstLevel;; ++level) {
            u64 d = table[index(in.raw(), level)];
            u64 sz = level_size(level);
            if (!Format::is_valid(d)) return sz - (in.raw() & (sz - 1));
            if (!Format::is_table(d, level)) return 0;
            table = phys_to_ptr<u64>(Format::output(d));
        }
    }

    bool alloc_table(HostPhys& pa) {
        if (!frames_->alloc(1, 1, pa)) return false;
        u64* t = phys_to_ptr<u64>(pa);
        for (unsigned i = 0; i < kEntries; ++i) t[i] = 0;
        ++table_pages_;
        return true;
    }

    Status map_one(Input in, HostPhys out, u64 remaining, MemAttr attr, u64& step) {
        u64* table = phys_to_ptr<u64>(root_);
        for (unsigned level = kFirstLevel;; ++level) {
            u64 sz = level_size(level);
            u64& d = table[index(in.raw(), level)];
            bool leaf_fits = Format::block_allowed(level) && in.aligned(sz) && out.aligned(sz) && remaining >= sz;
            if (leaf_fits || level == 3) {
                // An emptied table may still hang here (map checked that the
                // range is unmapped): free it rather than lose it.
                if (level < 3 && Format::is_valid(d) && Format::is_table(d, level)) {
                    HostPhys old = Format::output(d);
                    Format::publish(d, 0);
                    free_table(old, level + 1);
                }
                Format::publish(d, Format::leaf(out, attr, level));
                step = sz;
                return Status::ok;
            }
            if (!Format::is_valid(d)) {
                HostPhys t;
                if (!alloc_table(t)) return Status::no_memory;
                Format::publish(d, Format::table(t));
            }
            table = phys_to_ptr<u64>(Format::output(d));
        }
    }

    // Removes one leaf (or the part of it inside the range); returns how far it advanced.
    u64 unmap_one(Input in, u64 remaining) {
        u64* table = phys_to_ptr<u64>(root_);
        for (unsigned level = kFirstLevel;; ++level) {
            u64 sz = level_size(level);
            u64& d = table[index(in.raw(), level)];
            u64 to_boundary = sz - (in.raw() & (sz - 1));
            if (!Format::is_valid(d)) return to_boundary < remaining ? to_boundary : remaining;
            if (Format::is_table(d, level)) {
                table = phys_to_ptr<u64>(Format::output(d));
                continue;
            }
            if (in.aligned(sz) && remaining >= sz) {
                Format::publish(d, 0);
                return sz;
            }
            // Split the block into the next level, then retry at that level.
            HostPhys t;
            if (!alloc_table(t)) {
                // Cannot split: drop the whole block rather than leave the range mapped.
                Format::publish(d, 0);
                return to_boundary < remaining ? to_boundary : remaining;
            }
            u64* sub = phys_to_ptr<u64>(t);
            HostPhys base = Format::output(d);
            MemAttr a = Format::attr(d);
            u64 sub_size = level_size(level + 1);
            for (unsigned i = 0; i < kEntries; ++i) sub[i] = Format::leaf(base + i * sub_size, a, level + 1);
            Format::publish(d, Format::table(t));
            table = sub;
        }
    }

    void free_table(HostPhys t, unsigned level) {
        u64* table = phys_to_ptr<u64>(t);
        if (level < 3)
            for (unsigned i = 0; i < kEntries; ++i)
                if (Format::is_valid(table[i]) && Format::is_table(table[i], level))
                    free_table(Format::output(table[i]), level + 1);
        frames_->free(t, 1);
        --table_pages_;
    }

    FrameAllocator* frames_ = nullptr;
    HostPhys root_{};
    u64 table_pages_ = 0;
};

} // namespace bh
