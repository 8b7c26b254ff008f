// SPDX-License-Identifier: GPL-2.0-only
// The generic walker with the real VMSAv8-64 formats; table frames come
// from a FrameAllocator over host memory, output addresses are just numbers.
#include <catch2/catch.hpp>

#include <arch/vmsa_format.hpp>
#include <bulkhead/page_table.hpp>

#include "host_ram.hpp"

using namespace bh;
using bh::aarch64::El2Format;
using bh::aarch64::Stage2Format;
using bh::test::GiB;
using bh::test::HostRam;
using bh::test::KiB;
using bh::test::MiB;

namespace {

using S2 = PageTable<Stage2Format>;
using El2 = PageTable<El2Format>;

struct Tables {
    HostRam ram{8 * MiB};
    FrameAllocator frames;
    u64 start_free = 0;
    Tables() {
        REQUIRE(frames.add_region(ram.base(), ram.size()) == Status::ok);
        start_free = frames.free_pages();
    }
};

// Walks the tables by hand, independently of the walker, and returns the raw
// leaf descriptor for `in` (0 if none) and the level it was found at.
u64 raw_leaf(HostPhys root, u64 in, unsigned* level_out = nullptr) {
    const u64* table = phys_to_ptr<u64>(root);
    for (unsigned level = 1; level <= 3; ++level) {
        u64 d = table[(in >> (39 - 9 * level)) & 511];
        if (!(d & 1)) return 0;
        if (level < 3 && (d & 2)) {
            table = phys_to_ptr<u64>(HostPhys(d & 0x0000fffffffff000ull));
            continue;
        }
        if (level_out) *level_out = level;
        return d;
    }
    return 0;
}

template <class PT>
u64 leaf_size(const PT& pt, typename PT::Input in) {
    HostPhys pa;
    MemAttr a;
    u64 sz = 0;
    return pt.lookup(in, pa, a, &sz) ? sz : 0;
}

template <class PT>
bool maps_to(const PT& pt, typename PT::Input in, HostPhys want) {
    HostPhys pa;
    MemAttr a;
    return pt.lookup(in, pa, a) && pa == want;
}

template <class PT>
bool mapped(const PT& pt, typename PT::Input in) {
    HostPhys pa;
    MemAttr a;
    return pt.lookup(in, pa, a);
}

const GuestPhys G(u64 v) { return GuestPhys(v); }
const HostPhys H(u64 v) { return HostPhys(v); }

} // namespace

TEST_CASE("page table: init takes one zeroed root frame", "[page_table]") {
    Tables t;
    S2 pt;
    CHECK_FALSE(pt.valid());
    CHECK(pt.map(G(0x40000000), H(0x80000000), kPageSize, MemAttr::ram()) == Status::invalid_argument);
    REQUIRE(pt.init(t.frames) == Status::ok);
    CHECK(pt.valid());
    CHECK(pt.table_pages() == 1);
    CHECK(t.frames.free_pages() == t.start_free - 1);
    const u64* root = phys_to_ptr<u64>(pt.root());
    for (unsigned i = 0; i < 512; ++i) REQUIRE(root[i] == 0);
    pt.destroy();
    CHECK_FALSE(pt.valid());
    CHECK(pt.table_pages() == 0);
    CHECK(t.frames.free_pages() == t.start_free);
}

TEST_CASE("page table: init without memory", "[page_table]") {
    HostRam ram(2 * MiB);
    FrameAllocator f;
    REQUIRE(f.add_region(ram.base(), 2 * kPageSize) == Status::ok);
    HostPhys pa;
    REQUIRE(f.alloc(1, 1, pa));
    S2 pt;
    CHECK(pt.init(f) == Status::no_memory);
    CHECK_FALSE(pt.valid());
}

TEST_CASE("page table: map picks the largest leaf alignment allows", "[page_table]") {
    Tables t;
    S2 pt;
    REQUIRE(pt.init(t.frames) == Status::ok);

    SECTION("1 GiB block: no table below the root") {
        REQUIRE(pt.map(G(1 * GiB), H(3 * GiB), 1 * GiB, MemAttr::ram()) == Status::ok);
        CHECK(pt.table_pages() == 1);
        CHECK(leaf_size(pt, G(1 * GiB)) == 1 * GiB);
        CHECK(maps_to(pt, G(1 * GiB + 0x12345), H(3 * GiB + 0x12345)));
        CHECK(maps_to(pt, G(2 * GiB - 1), H(4 * GiB - 1)));
        CHECK_FALSE(mapped(pt, G(2 * GiB)));
        CHECK_FALSE(mapped(pt, G(1 * GiB - 1)));
    }
    SECTION("2 MiB block: one level-2 table") {
        REQUIRE(pt.map(G(1 * GiB + 6 * MiB), H(0x80000000), 2 * MiB, MemAttr::ram()) == Status::ok);
        CHECK(pt.table_pages() == 2);
        CHECK(leaf_size(pt, G(1 * GiB + 6 * MiB)) == 2 * MiB);
        CHECK(maps_to(pt, G(1 * GiB + 8 * MiB - 8), H(0x80200000 - 8)));
        CHECK_FALSE(mapped(pt, G(1 * GiB + 8 * MiB)));
    }
    SECTION("4 KiB page: level-2 and level-3 tables") {
        REQUIRE(pt.map(G(0x40001000), H(0x80005000), kPageSize, MemAttr::ram()) == Status::ok);
        CHECK(pt.table_pages() == 3);
        CHECK(leaf_size(pt, G(0x40001000)) == 4 * KiB);
        CHECK(maps_to(pt, G(0x40001abc), H(0x80005abc)));
        CHECK_FALSE(mapped(pt, G(0x40000fff)));
        CHECK_FALSE(mapped(pt, G(0x40002000)));
    }
    SECTION("a range mixing all three sizes") {
        // 4K + 2M + 1G + 2M + 4K, input and output congruent modulo 1 GiB.
        const u64 in = 1 * GiB - 2 * MiB - 4 * KiB, out = 5 * GiB - 2 * MiB - 4 * KiB;
        const u64 size = 4 * KiB + 2 * MiB + 1 * GiB + 2 * MiB + 4 * KiB;
        REQUIRE(pt.map(G(in), H(out), size, MemAttr::ram()) == Status::ok);
        struct {
            u64 off, leaf;
        } expect[] = {
            {0, 4 * KiB},
            {4 * KiB, 2 * MiB},
            {4 * KiB + 2 * MiB, 1 * GiB},
            {4 * KiB + 2 * MiB + 1 * GiB, 2 * MiB},
            {4 * KiB + 4 * MiB + 1 * GiB, 4 * KiB},
        };
        for (auto e : expect) {
            CAPTURE(e.off);
            CHECK(leaf_size(pt, G(in + e.off)) == e.leaf);
            CHECK(maps_to(pt, G(in + e.off + 8), H(out + e.off + 8)));
        }
        CHECK(maps_to(pt, G(in + size - 1), H(out + size - 1)));
        CHECK_FALSE(mapped(pt, G(in + size)));
        CHECK_FALSE(mapped(pt, G(in - 1)));
        // root + (L2, L3) below 1 GiB + (L2, L3) above 2 GiB
        CHECK(pt.table_pages() == 5);
    }
    SECTION("the output's alignment limits the leaf as much as the input's") {
        REQUIRE(pt.map(G(1 * GiB), H(0x80001000), 2 * MiB, MemAttr::ram()) == Status::ok);
        CHECK(leaf_size(pt, G(1 * GiB)) == 4 * KiB);
        CHECK(leaf_size(pt, G(1 * GiB + 2 * MiB - 4 * KiB)) == 4 * KiB);
        CHECK(maps_to(pt, G(1 * GiB + 0x1234), H(0x80002234)));
        CHECK(pt.table_pages() == 3);
    }
    SECTION("a size smaller than the block falls back to smaller leaves") {
        REQUIRE(pt.map(G(1 * GiB), H(2 * GiB), 1 * GiB - 4 * KiB, MemAttr::ram()) == Status::ok);
        CHECK(leaf_size(pt, G(1 * GiB)) == 2 * MiB);
        CHECK(leaf_size(pt, G(2 * GiB - 2 * MiB)) == 4 * KiB);
        CHECK(leaf_size(pt, G(2 * GiB - 8 * KiB)) == 4 * KiB);
        CHECK_FALSE(mapped(pt, G(2 * GiB - 4 * KiB)));
    }
    pt.destroy();
    CHECK(t.frames.free_pages() == t.start_free);
}

TEST_CASE("page table: stage-2 descriptors follow the ARM ARM encoding", "[page_table]") {
    // Stage-2 block/page descriptor: [1:0] 01 block / 11 page, MemAttr[5:2]
    // (1111 Normal WB/WB, 0001 Device-nGnRE), S2AP[7:6] (01 RO, 11 RW),
    // SH[9:8] (11 Inner Shareable), AF[10], OA[47:n], XN[54:53] (10: no
    // execution at EL1 or EL0).
    Tables t;
    S2 pt;
    REQUIRE(pt.init(t.frames) == Status::ok);
    REQUIRE(pt.map(G(0x40000000), H(0x80000000), 1 * GiB, MemAttr::ram()) == Status::ok);
    REQUIRE(pt.map(G(0x80000000), H(0xc0200000), 2 * MiB, MemAttr::ram_ro()) == Status::ok);
    REQUIRE(pt.map(G(0x09000000), H(0x09000000), 4 * KiB, MemAttr::device()) == Status::ok);
    REQUIRE(pt.map(G(0x09001000), H(0x09001000), 4 * KiB, MemAttr::ram()) == Status::ok);

    unsigned level = 0;
    CHECK(raw_leaf(pt.root(), 0x40000000, &level) ==
          (0x80000000ull | 0b01 | 0xf << 2 | 0b11 << 6 | 0b11 << 8 | 1 << 10));
    CHECK(level == 1);
    CHECK(raw_leaf(pt.root(), 0x80000000, &level) ==
          (0xc0200000ull | 0b01 | 0xf << 2 | 0b01 << 6 | 0b11 << 8 | 1 << 10));
    CHECK(level == 2);
    CHECK(raw_leaf(pt.root(), 0x09000000, &level) ==
          (0x09000000ull | 0b11 | 0x1 << 2 | 0b11 << 6 | 1 << 10 | 2ull << 53));
    CHECK(level == 3);
    CHECK(raw_leaf(pt.root(), 0x09001000, &level) ==
          (0x09001000ull | 0b11 | 0xf << 2 | 0b11 << 6 | 0b11 << 8 | 1 << 10));

    HostPhys pa;
    MemAttr a;
    REQUIRE(pt.lookup(G(0x40000000), pa, a));
    CHECK(a == MemAttr::ram());
    REQUIRE(pt.lookup(G(0x80000000), pa, a));
    CHECK(a == MemAttr::ram_ro());
    REQUIRE(pt.lookup(G(0x09000abc), pa, a));
    CHECK(a == MemAttr::device());
    CHECK(pa == H(0x09000abc));
    // Every combination the neutral type can express round-trips.
    u64 ipa = 0x100000000;
    for (int bits = 0; bits < 16; ++bits) {
        MemAttr want{bits & 8 ? MemType::device : MemType::normal, bool(bits & 1), bool(bits & 2), bool(bits & 4)};
        REQUIRE(pt.map(G(ipa), H(0x1000), kPageSize, want) == Status::ok);
        REQUIRE(pt.lookup(G(ipa), pa, a));
        CAPTURE(bits);
        CHECK(a == want);
        ipa += kPageSize;
    }
    pt.destroy();
}

TEST_CASE("page table: EL2 stage-1 descriptors", "[page_table]") {
    // [4:2] AttrIndx (MAIR_EL2: 0 device, 1 normal), AP[7:6] (AP[1] RES1,
    // AP[2] read-only), SH[9:8], AF[10], XN[54].
    Tables t;
    El2 pt;
    REQUIRE(pt.init(t.frames) == Status::ok);
    REQUIRE(pt.map(Virt(0x40000000), H(0x40000000), 2 * MiB, MemAttr::ram()) == Status::ok);
    REQUIRE(pt.map(Virt(0x40200000), H(0x40200000), 4 * KiB, MemAttr::ram_ro()) == Status::ok);
    REQUIRE(pt.map(Virt(0x09000000), H(0x09000000), 4 * KiB, MemAttr::device()) == Status::ok);
    CHECK(raw_leaf(pt.root(), 0x40000000) == (0x40000000ull | 0b01 | 1 << 2 | 0b01 << 6 | 0b11 << 8 | 1 << 10));
    CHECK(raw_leaf(pt.root(), 0x40200000) == (0x40200000ull | 0b11 | 1 << 2 | 0b11 << 6 | 0b11 << 8 | 1 << 10));
    CHECK(raw_leaf(pt.root(), 0x09000000) == (0x09000000ull | 0b11 | 0 << 2 | 0b01 << 6 | 1 << 10 | 1ull << 54));
    HostPhys pa;
    MemAttr a;
    REQUIRE(pt.lookup(Virt(0x40200010), pa, a));
    CHECK(a == MemAttr::ram_ro());
    CHECK(pa == H(0x40200010));
    REQUIRE(pt.lookup(Virt(0x09000000), pa, a));
    CHECK(a == MemAttr::device());
    pt.destroy();
    CHECK(t.frames.free_pages() == t.start_free);
}

TEST_CASE("page table: overlapping map is refused without side effects", "[page_table]") {
    Tables t;
    S2 pt;
    REQUIRE(pt.init(t.frames) == Status::ok);
    REQUIRE(pt.map(G(0x40201000), H(0x90000000), kPageSize, MemAttr::ram()) == Status::ok);
    REQUIRE(pt.map(G(0x80000000), H(0xc0000000), 1 * GiB, MemAttr::ram()) == Status::ok);
    const u64 tables = pt.table_pages(), free_before = t.frames.free_pages();

    SECTION("a block over an existing page") {
        CHECK(pt.map(G(0x40200000), H(0xa0000000), 2 * MiB, MemAttr::ram()) == Status::bad_state);
    }
    SECTION("overlap only in the last page") {
        CHECK(pt.map(G(0x40000000), H(0xa0000000), 2 * MiB + 2 * kPageSize, MemAttr::ram()) == Status::bad_state);
        CHECK_FALSE(mapped(pt, G(0x40000000)));
    }
    SECTION("overlap only in the first page") {
        CHECK(pt.map(G(0x40201000), H(0xa0000000), 4 * MiB, MemAttr::ram()) == Status::bad_state);
        CHECK_FALSE(mapped(pt, G(0x40400000)));
    }
    SECTION("a page inside a 1 GiB block") {
        CHECK(pt.map(G(0xbffff000), H(0xa0000000), kPageSize, MemAttr::ram()) == Status::bad_state);
    }
    SECTION("the same mapping again") {
        CHECK(pt.map(G(0x40201000), H(0x90000000), kPageSize, MemAttr::ram()) == Status::bad_state);
    }
    CHECK(maps_to(pt, G(0x40201000), H(0x90000000)));
    CHECK(maps_to(pt, G(0xbffff000), H(0xfffff000)));
    CHECK_FALSE(mapped(pt, G(0x40200000)));
    CHECK_FALSE(mapped(pt, G(0x40202000)));
    CHECK(pt.table_pages() == tables);
    CHECK(t.frames.free_pages() == free_before);
    pt.destroy();
    CHECK(t.frames.free_pages() == t.start_free);
}

TEST_CASE("page table: invalid map requests", "[page_table]") {
    Tables t;
    S2 pt;
    REQUIRE(pt.init(t.frames) == Status::ok);
    const u64 limit = u64(1) << 39;
    CHECK(pt.map(G(0x40000000), H(0x80000000), 0, MemAttr::ram()) == Status::invalid_argument);
    CHECK(pt.map(G(0x40000800), H(0x80000000), kPageSize, MemAttr::ram()) == Status::invalid_argument);
    CHECK(pt.map(G(0x40000000), H(0x80000800), kPageSize, MemAttr::ram()) == Status::invalid_argument);
    CHECK(pt.map(G(0x40000000), H(0x80000000), kPageSize + 8, MemAttr::ram()) == Status::invalid_argument);
    CHECK(pt.map(G(limit), H(0x80000000), kPageSize, MemAttr::ram()) == Status::invalid_argument);
    CHECK(pt.map(G(limit - kPageSize), H(0x80000000), 2 * kPageSize, MemAttr::ram()) == Status::invalid_argument);
    CHECK(pt.map(G(limit - kPageSize), H(0x80000000), ~u64(0) - kPageSize + 1, MemAttr::ram()) ==
          Status::invalid_argument);
    CHECK(pt.table_pages() == 1);
    CHECK(t.frames.free_pages() == t.start_free - 1);
    // The very top of the input space is fine.
    CHECK(pt.map(G(limit - kPageSize), H(0x80000000), kPageSize, MemAttr::ram()) == Status::ok);
    CHECK(maps_to(pt, G(limit - 1), H(0x80000fff)));
    HostPhys pa;
    MemAttr a;
    CHECK_FALSE(pt.lookup(G(limit), pa, a));
    CHECK_FALSE(pt.lookup(G(limit + limit - kPageSize), pa, a)); // would alias if the index wrapped
    pt.destroy();
}

TEST_CASE("page table: unmap", "[page_table]") {
    Tables t;
    S2 pt;
    REQUIRE(pt.init(t.frames) == Status::ok);

    SECTION("a whole block, without splitting") {
        REQUIRE(pt.map(G(0x40200000), H(0x80200000), 2 * MiB, MemAttr::ram()) == Status::ok);
        const u64 tables = pt.table_pages();
        REQUIRE(pt.unmap(G(0x40200000), 2 * MiB) == Status::ok);
        CHECK_FALSE(mapped(pt, G(0x40200000)));
        CHECK_FALSE(mapped(pt, G(0x403ff000)));
        CHECK(pt.table_pages() == tables);
        // And it can be mapped again.
        REQUIRE(pt.map(G(0x40200000), H(0x90000000), 2 * MiB, MemAttr::ram()) == Status::ok);
        CHECK(maps_to(pt, G(0x40200000), H(0x90000000)));
    }
    SECTION("a range with holes, across mappings") {
        REQUIRE(pt.map(G(0x40000000), H(0x80000000), 4 * kPageSize, MemAttr::ram()) == Status::ok);
        REQUIRE(pt.map(G(0x40400000), H(0x80400000), 2 * MiB, MemAttr::ram()) == Status::ok);
        REQUIRE(pt.map(G(0x80000000), H(0x80000000), 1 * GiB, MemAttr::ram()) == Status::ok);
        REQUIRE(pt.unmap(G(0x40001000), 1 * GiB - 0x1000 + 1 * GiB) == Status::ok);
        CHECK(mapped(pt, G(0x40000000)));
        CHECK_FALSE(mapped(pt, G(0x40001000)));
        CHECK_FALSE(mapped(pt, G(0x40003000)));
        CHECK_FALSE(mapped(pt, G(0x40400000)));
        CHECK_FALSE(mapped(pt, G(0x80000000)));
        CHECK_FALSE(mapped(pt, G(0xbfffffff)));
    }
    SECTION("nothing mapped: nothing to do") {
        REQUIRE(pt.unmap(G(0), u64(1) << 39) == Status::ok);
        CHECK(pt.table_pages() == 1);
    }
    SECTION("part of a 1 GiB block splits it down to pages") {
        REQUIRE(pt.map(G(0x40000000), H(0x80000000), 1 * GiB, MemAttr::ram_ro()) == Status::ok);
        CHECK(pt.table_pages() == 1);
        REQUIRE(pt.unmap(G(0x40201000), kPageSize) == Status::ok);
        CHECK(pt.table_pages() == 3); // one level-2 table, one level-3 table
        CHECK_FALSE(mapped(pt, G(0x40201000)));
        CHECK_FALSE(mapped(pt, G(0x40201fff)));
        // The rest of the block is still there, as blocks where it can be.
        CHECK(leaf_size(pt, G(0x40000000)) == 2 * MiB);
        CHECK(leaf_size(pt, G(0x40400000)) == 2 * MiB);
        CHECK(leaf_size(pt, G(0x7fe00000)) == 2 * MiB);
        CHECK(leaf_size(pt, G(0x40200000)) == 4 * KiB);
        CHECK(maps_to(pt, G(0x40000010), H(0x80000010)));
        CHECK(maps_to(pt, G(0x40200010), H(0x80200010)));
        CHECK(maps_to(pt, G(0x40202010), H(0x80202010)));
        CHECK(maps_to(pt, G(0x403ff010), H(0x803ff010)));
        CHECK(maps_to(pt, G(0x7fffffff), H(0xbfffffff)));
        HostPhys pa;
        MemAttr a;
        REQUIRE(pt.lookup(G(0x40202000), pa, a));
        CHECK(a == MemAttr::ram_ro()); // attributes survive the split
        // The split produced well-formed descriptors: blocks at level 2, pages at level 3.
        unsigned level = 0;
        CHECK(raw_leaf(pt.root(), 0x40400000, &level) ==
              (0x80400000ull | 0b01 | 0xf << 2 | 0b01 << 6 | 0b11 << 8 | 1 << 10));
        CHECK(level == 2);
        CHECK(raw_leaf(pt.root(), 0x40202000, &level) ==
              (0x80202000ull | 0b11 | 0xf << 2 | 0b01 << 6 | 0b11 << 8 | 1 << 10));
        CHECK(level == 3);
    }
    SECTION("a range straddling two blocks' edges") {
        REQUIRE(pt.map(G(0x40000000), H(0x80000000), 4 * MiB, MemAttr::ram()) == Status::ok);
        REQUIRE(pt.unmap(G(0x40100000), 2 * MiB) == Status::ok);
        CHECK(maps_to(pt, G(0x400ff000), H(0x800ff000)));
        CHECK_FALSE(mapped(pt, G(0x40100000)));
        CHECK_FALSE(mapped(pt, G(0x402ff000)));
        CHECK(maps_to(pt, G(0x40300000), H(0x80300000)));
        CHECK(pt.table_pages() == 4);
    }
    pt.destroy();
    CHECK(pt.table_pages() == 0);
    CHECK(t.frames.free_pages() == t.start_free);
}

TEST_CASE("page table: a map that runs out of table frames rolls back", "[page_table]") {
    HostRam ram(2 * MiB);
    FrameAllocator f;
    REQUIRE(f.add_region(ram.base(), 2 * MiB) == Status::ok);
    const u64 start = f.free_pages();
    S2 pt;
    REQUIRE(pt.init(f) == Status::ok);
    // Leave two frames: enough for the first page (level-2 and level-3
    // tables), not for the second, which is in the next 1 GiB.
    u64 drained = f.free_pages() - 2;
    HostPhys hold;
    REQUIRE(f.alloc(drained, 1, hold));
    CHECK(pt.map(G(1 * GiB - kPageSize), H(0x80000000), 2 * kPageSize, MemAttr::ram()) == Status::no_memory);
    CHECK_FALSE(mapped(pt, G(1 * GiB - kPageSize)));
    CHECK_FALSE(mapped(pt, G(1 * GiB)));
    f.free(hold, drained);
    pt.destroy();
    CHECK(f.free_pages() == start);
}

TEST_CASE("page table: table_pages counts every table frame", "[page_table]") {
    Tables t;
    El2 pt;
    REQUIRE(pt.init(t.frames) == Status::ok);
    // Pages in four different 1 GiB regions: two new tables each.
    for (u64 g = 0; g < 4; ++g)
        REQUIRE(pt.map(Virt(g * GiB + 0x5000), H(0x80000000), kPageSize, MemAttr::ram()) == Status::ok);
    CHECK(pt.table_pages() == 1 + 4 * 2);
    // A second page in the same 2 MiB reuses both tables; one in another 2 MiB needs one.
    REQUIRE(pt.map(Virt(0x6000), H(0x80001000), kPageSize, MemAttr::ram()) == Status::ok);
    CHECK(pt.table_pages() == 9);
    REQUIRE(pt.map(Virt(0x200000), H(0x80001000), kPageSize, MemAttr::ram()) == Status::ok);
    CHECK(pt.table_pages() == 10);
    CHECK(t.frames.free_pages() == t.start_free - 10);
    pt.destroy();
    CHECK(pt.table_pages() == 0);
    CHECK(t.frames.free_pages() == t.start_free);
}

TEST_CASE("page table: destroy returns every table frame after map, split and unmap", "[page_table]") {
    Tables t;
    S2 pt;
    REQUIRE(pt.init(t.frames) == Status::ok);
    REQUIRE(pt.map(G(0x40000000), H(0x80000000), 1 * GiB, MemAttr::ram()) == Status::ok);
    REQUIRE(pt.map(G(0xc0000000 - 64 * kPageSize), H(0x1000000), 64 * kPageSize, MemAttr::device()) == Status::ok);
    REQUIRE(pt.map(G(0x100000000), H(0x200000), 6 * MiB, MemAttr::ram()) == Status::ok);
    REQUIRE(pt.unmap(G(0x40001000), 3 * kPageSize) == Status::ok);
    REQUIRE(pt.unmap(G(0x100100000), 2 * MiB) == Status::ok);
    CHECK(pt.table_pages() > 3);
    CHECK(t.frames.free_pages() == t.start_free - pt.table_pages());
    pt.destroy();
    CHECK(pt.table_pages() == 0);
    CHECK(t.frames.free_pages() == t.start_free);
    pt.destroy(); // twice is harmless
    CHECK(t.frames.free_pages() == t.start_free);
}

TEST_CASE("page table: a block mapped over an emptied table frees that table", "[page_table][bug]") {
    // Regression, fixed (page_table.hpp, map_one): when a block fits, map_one
    // publishes it over whatever descriptor is there. After an unmap, that
    // can be a table that is empty but still allocated: the table (and any
    // below it) becomes unreachable, destroy() never frees it and
    // table_pages() stays too high. Fix: if the slot holds a table, either
    // descend into it (map with smaller leaves) or free the empty subtree
    // before publishing the block.
    Tables t;
    S2 pt;
    REQUIRE(pt.init(t.frames) == Status::ok);
    REQUIRE(pt.map(G(0x40000000), H(0x80000000), kPageSize, MemAttr::ram()) == Status::ok);
    REQUIRE(pt.unmap(G(0x40000000), kPageSize) == Status::ok);
    REQUIRE(pt.map(G(0x40000000), H(0x80000000), 1 * GiB, MemAttr::ram()) == Status::ok);
    CHECK(maps_to(pt, G(0x40001000), H(0x80001000)));
    pt.destroy();
    CHECK(pt.table_pages() == 0);
    CHECK(t.frames.free_pages() == t.start_free);
}

TEST_CASE("page table: unmap of part of a page never maps a table frame", "[page_table][bug]") {
    // Regression, fixed (page_table.hpp, unmap/unmap_one): unmap() does not check
    // alignment. With an unaligned address or size, unmap_one reaches a
    // level-3 page that does not fit the range and "splits" it into a
    // level-4 table: level_size(4) wraps to 8 bytes, a fresh table frame is
    // published as the *page* descriptor, so the zone's page now maps a
    // hypervisor-owned frame (read-write if the page was), and that frame
    // is never freed. Fix: make unmap return Status and refuse unaligned
    // input (like map), and never split at the last level.
    Tables t;
    S2 pt;
    REQUIRE(pt.init(t.frames) == Status::ok);
    REQUIRE(pt.map(G(0x40000000), H(0x80000000), kPageSize, MemAttr::ram()) == Status::ok);
    CHECK(pt.unmap(G(0x40000800), 0x800) == Status::invalid_argument);
    HostPhys pa;
    MemAttr a;
    bool still = pt.lookup(G(0x40000000), pa, a);
    if (still) CHECK(pa == H(0x80000000)); // either untouched...
    CHECK(t.frames.free_pages() == t.start_free - pt.table_pages());
    pt.destroy();
    CHECK(t.frames.free_pages() == t.start_free); // ...and nothing leaked
}

TEST_CASE("page table: output addresses beyond the 48-bit output range are refused", "[page_table][bug]") {
    // Regression, fixed (page_table.hpp, map): `out` is not range-checked, and the
    // format masks it with bits [47:12], so an output address at or above
    // 2^48 silently maps to a different (wrapped) host frame. Fix: refuse
    // out + size beyond the format's output limit (and out + size wrapping).
    Tables t;
    S2 pt;
    REQUIRE(pt.init(t.frames) == Status::ok);
    CHECK(pt.map(G(0x40000000), H(u64(1) << 48), kPageSize, MemAttr::ram()) == Status::invalid_argument);
    CHECK_FALSE(mapped(pt, G(0x40000000)));
    pt.destroy();
}
