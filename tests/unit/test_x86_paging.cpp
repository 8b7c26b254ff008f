// SPDX-License-Identifier: GPL-2.0-only
// The generic walker with the x86-64 formats: the hypervisor's own 4-level
// map and the zones' second stage as NPT and as EPT. Table frames come from
// a FrameAllocator over host memory; output addresses are just numbers.
#include <catch2/catch.hpp>

#include <arch/x86_paging.hpp>
#include <bulkhead/page_table.hpp>

#include "host_ram.hpp"

using namespace bh;
using bh::test::GiB;
using bh::test::HostRam;
using bh::test::KiB;
using bh::test::MiB;
using bh::x86_64::HostFormat;
using bh::x86_64::Stage2Format;

namespace {

struct Tables {
    HostRam ram{8 * MiB};
    FrameAllocator frames;
    Tables() { REQUIRE(frames.add_region(ram.base(), ram.size()) == Status::ok); }
};

// Walks 4 levels by hand (PS = bit 7 at levels 1 and 2) and returns the
// raw leaf for `in`, 0 if none; `present` says what counts as valid.
template <class Present>
u64 raw_leaf(HostPhys root, u64 in, Present present, unsigned* level_out = nullptr) {
    const u64* table = phys_to_ptr<u64>(root);
    for (unsigned level = 0; level <= 3; ++level) {
        u64 d = table[(in >> (39 - 9 * level)) & 511];
        if (!present(d)) return 0;
        if (level < 3 && !(d & 0x80)) {
            table = phys_to_ptr<u64>(HostPhys(d & 0x000ffffffffff000ull));
            continue;
        }
        if (level_out) *level_out = level;
        return d;
    }
    return 0;
}

// Restores the NPT encoding whatever a test did.
struct EptMode {
    explicit EptMode(bool on) { Stage2Format::ept = on; }
    ~EptMode() { Stage2Format::ept = false; }
};

} // namespace

TEST_CASE("x86 NPT: zone RAM maps with 2 MiB pages, user, writable, executable", "[x86][page_table]") {
    Tables t;
    EptMode mode(false);
    PageTable<Stage2Format> npt;
    REQUIRE(npt.init(t.frames) == Status::ok);
    REQUIRE(npt.map(GuestPhys(0x40000000), HostPhys(0x00400000), 4 * MiB, MemAttr::ram()) == Status::ok);
    unsigned level = 9;
    u64 d = raw_leaf(
        npt.root(), 0x40200000, [](u64 e) { return e & 1; }, &level);
    CHECK(level == 2);
    CHECK(d == (0x00600000 | 0x87)); // P, RW, US, PS; no NX
    HostPhys pa;
    MemAttr a;
    REQUIRE(npt.lookup(GuestPhys(0x40201234), pa, a));
    CHECK(pa == HostPhys(0x00601234));
    CHECK(a == MemAttr::ram());
    // Tables are user-accessible too: NPT walks are user accesses.
    const u64* pml4 = phys_to_ptr<u64>(npt.root());
    CHECK((pml4[0] & 7) == 7);
    CHECK_FALSE(npt.lookup(GuestPhys(0x40400000), pa, a));
    CHECK_FALSE(npt.lookup(GuestPhys(0x3ffff000), pa, a));
    npt.destroy();
}

TEST_CASE("x86 NPT: a 4 KiB-aligned range gets 4 KiB pages, device memory is uncached and not executable",
          "[x86][page_table]") {
    Tables t;
    EptMode mode(false);
    PageTable<Stage2Format> npt;
    REQUIRE(npt.init(t.frames) == Status::ok);
    REQUIRE(npt.map(GuestPhys(0x1000), HostPhys(0x5000), 8 * KiB, MemAttr::device()) == Status::ok);
    unsigned level = 9;
    u64 d = raw_leaf(
        npt.root(), 0x2000, [](u64 e) { return e & 1; }, &level);
    CHECK(level == 3);
    CHECK(d == (0x6000 | 0x1f | (1ull << 63))); // P, RW, US, PWT, PCD, NX
    HostPhys pa;
    MemAttr a;
    REQUIRE(npt.lookup(GuestPhys(0x1000), pa, a));
    CHECK(a == MemAttr::device());
    npt.destroy();
}

TEST_CASE("x86 EPT: the same walk with EPT permissions and memory types", "[x86][page_table]") {
    Tables t;
    EptMode mode(true);
    PageTable<Stage2Format> ept;
    REQUIRE(ept.init(t.frames) == Status::ok);
    REQUIRE(ept.map(GuestPhys(0x40000000), HostPhys(0x00800000), 2 * MiB, MemAttr::ram()) == Status::ok);
    REQUIRE(ept.map(GuestPhys(0x40200000), HostPhys(0x00a00000), 4 * KiB, MemAttr::ram_ro()) == Status::ok);
    unsigned level = 9;
    auto present = [](u64 e) { return (e & 7) != 0; };
    CHECK(raw_leaf(ept.root(), 0x40000000, present, &level) == (0x00800000 | 0xb7)); // RWX, WB, large
    CHECK(level == 2);
    CHECK(raw_leaf(ept.root(), 0x40200000, present, &level) == (0x00a00000 | 0x35)); // R-X, WB
    CHECK(level == 3);
    const u64* pml4 = phys_to_ptr<u64>(ept.root());
    CHECK((pml4[0] & 7) == 7);
    HostPhys pa;
    MemAttr a;
    REQUIRE(ept.lookup(GuestPhys(0x40200010), pa, a));
    CHECK(pa == HostPhys(0x00a00010));
    CHECK(a == MemAttr::ram_ro());
    // Partial unmap splits the 2 MiB page into 4 KiB pages with the same bits.
    REQUIRE(ept.unmap(GuestPhys(0x40001000), 4 * KiB) == Status::ok);
    CHECK_FALSE(ept.lookup(GuestPhys(0x40001000), pa, a));
    REQUIRE(ept.lookup(GuestPhys(0x40002000), pa, a));
    CHECK(pa == HostPhys(0x00802000));
    CHECK(raw_leaf(ept.root(), 0x40002000, present, &level) == (0x00802000 | 0x37));
    CHECK(level == 3);
    ept.destroy();
}

TEST_CASE("x86 host map: supervisor-only, 2 MiB RAM pages, uncached devices", "[x86][page_table]") {
    Tables t;
    PageTable<HostFormat> host;
    REQUIRE(host.init(t.frames) == Status::ok);
    REQUIRE(host.map(Virt(0x100000), HostPhys(0x100000), 0x3f00000, MemAttr::ram()) == Status::ok);
    REQUIRE(host.map(Virt(0xfee00000), HostPhys(0xfee00000), 4 * KiB, MemAttr::device()) == Status::ok);
    unsigned level = 9;
    auto present = [](u64 e) { return e & 1; };
    CHECK(raw_leaf(host.root(), 0x100000, present, &level) == (0x100000 | 0x03));
    CHECK(level == 3); // the first MiB's tail is not 2 MiB aligned
    CHECK(raw_leaf(host.root(), 0x200000, present, &level) == (0x200000 | 0x83));
    CHECK(level == 2);
    CHECK(raw_leaf(host.root(), 0xfee00000, present, &level) == (0xfee00000 | 0x1b | (1ull << 63)));
    CHECK(host.map(Virt(0x300000), HostPhys(0x300000), 4 * KiB, MemAttr::ram()) == Status::bad_state);
    CHECK(host.map(Virt(u64(1) << 48), HostPhys(0), 4 * KiB, MemAttr::ram()) == Status::invalid_argument);
    (void)GiB;
    host.destroy();
}
