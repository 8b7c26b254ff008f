// SPDX-License-Identifier: GPL-2.0-only
// The guest page-table walk on tables built by hand in a fake guest RAM
// (1 MiB at guest-physical 1 MiB) read through the walk's callback.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "guest_walk.hpp"

using namespace bh;
using bh::x86_64::guest_linear_to_phys;
using bh::x86_64::GuestPagingState;
using bh::x86_64::WalkStatus;

namespace {

constexpr u64 kCr0Pg = 1ull << 31, kCr0Pe = 1;
constexpr u64 kCr4Pse = 1ull << 4, kCr4Pae = 1ull << 5, kCr4La57 = 1ull << 12;
constexpr u64 kEferLme = 1ull << 8, kEferLma = 1ull << 10, kEferNxe = 1ull << 11;
constexpr u64 P = 1, RW = 2, US = 4, PS = 1u << 7, PAT_LARGE = 1u << 12, NX = 1ull << 63;

class FakeRam {
  public:
    static constexpr u64 kBase = 0x100000, kSize = 0x100000;

    FakeRam() : bytes_(kSize) {}
    static u64 page(unsigned n) { return kBase + n * 0x1000ull; }
    void set64(u64 gpa, u64 v) { std::memcpy(at(gpa, 8), &v, 8); }
    void set32(u64 gpa, u32 v) { std::memcpy(at(gpa, 4), &v, 4); }
    unsigned reads = 0;

    static bool read(void* ctx, bh::GuestPhys at_gpa, u64& value) {
        auto* self = static_cast<FakeRam*>(ctx);
        u64 gpa = at_gpa.raw();
        CHECK(gpa % 8 == 0);
        ++self->reads;
        if (gpa < kBase || gpa - kBase + 8 > kSize) return false;
        std::memcpy(&value, &self->bytes_[gpa - kBase], 8);
        return true;
    }

  private:
    u8* at(u64 gpa, u64 len) {
        REQUIRE(gpa >= kBase);
        REQUIRE(gpa - kBase + len <= kSize);
        return &bytes_[gpa - kBase];
    }
    std::vector<u8> bytes_;
};

constexpr u64 index(u64 linear, unsigned shift, u64 entries = 512) { return (linear >> shift) & (entries - 1); }

struct Walk {
    WalkStatus status;
    u64 gpa;
};

Walk walk(FakeRam& ram, const GuestPagingState& s, u64 linear) {
    bh::GuestPhys gpa(0xbad);
    WalkStatus st = guest_linear_to_phys(s, bh::GuestVirt(linear), FakeRam::read, &ram, gpa);
    return {st, st == WalkStatus::ok ? gpa.raw() : 0};
}

} // namespace

TEST_CASE("x86 guest walk: paging off is the identity, truncated to 32 bits", "[x86][guest_walk]") {
    FakeRam ram;
    GuestPagingState s{kCr0Pe, 0, 0, 0};
    CHECK(walk(ram, s, 0xfee00030).gpa == 0xfee00030);
    CHECK(walk(ram, s, 0x123456789ull).gpa == 0x23456789);
    CHECK(ram.reads == 0);
}

TEST_CASE("x86 guest walk: 4-level long mode with 4 KiB, 2 MiB and 1 GiB pages", "[x86][guest_walk]") {
    FakeRam ram;
    // PML4 in page 0 (CR3 with PCD/PWT set), PDPT page 1, PD page 2, PT page 3.
    GuestPagingState s{kCr0Pg | kCr0Pe, FakeRam::page(0) | 0x18, kCr4Pae, kEferLme | kEferLma | kEferNxe};
    const u64 base = 0xffff800012345000ull; // a higher-half kernel address
    ram.set64(FakeRam::page(0) + index(base, 39) * 8, FakeRam::page(1) | P | RW);
    ram.set64(FakeRam::page(1) + index(base, 30) * 8, FakeRam::page(2) | P | RW | US);
    ram.set64(FakeRam::page(2) + index(base, 21) * 8, FakeRam::page(3) | P | RW);
    // The 4 KiB leaf has NX and software bits 62:52 set, and a frame above 4 GiB.
    ram.set64(FakeRam::page(3) + index(base, 12) * 8, NX | (0x7ffull << 52) | 0x000f0000abcde000ull | P);

    auto w = walk(ram, s, base + 0xabc);
    CHECK(w.status == WalkStatus::ok);
    CHECK(w.gpa == 0x000f0000abcdeabcull);

    // A 2 MiB page in the next PD slot; bit 12 (PAT) is not address.
    const u64 two_mib = base + 0x200000;
    ram.set64(FakeRam::page(2) + index(two_mib, 21) * 8, 0x40000000 | PAT_LARGE | PS | P | RW);
    CHECK(walk(ram, s, two_mib + 0x12345).gpa == 0x40157345); // offset 0x145000 + 0x12345

    // A 1 GiB page in the next PDPT slot.
    const u64 one_gib = base + 0x40000000;
    ram.set64(FakeRam::page(1) + index(one_gib, 30) * 8, 0x1c0000000ull | PAT_LARGE | PS | P | RW);
    CHECK(walk(ram, s, one_gib).gpa == 0x1c0000000ull + (one_gib & 0x3fffffff));
    CHECK(walk(ram, s, one_gib | 0x3fffffff).gpa == 0x1ffffffffull);
}

TEST_CASE("x86 guest walk: long mode not-present at every level, tables outside RAM, LA57", "[x86][guest_walk]") {
    FakeRam ram;
    GuestPagingState s{kCr0Pg | kCr0Pe, FakeRam::page(0), kCr4Pae, kEferLme | kEferLma};
    const u64 va = 0x00007f0000201000ull;
    ram.set64(FakeRam::page(0) + index(va, 39) * 8, FakeRam::page(1) | P);
    ram.set64(FakeRam::page(1) + index(va, 30) * 8, FakeRam::page(2) | P);
    ram.set64(FakeRam::page(2) + index(va, 21) * 8, FakeRam::page(3) | P);
    ram.set64(FakeRam::page(3) + index(va, 12) * 8, 0x5000 | P);
    REQUIRE(walk(ram, s, va).gpa == 0x5000);
    CHECK(walk(ram, s, va + 0x1000).status == WalkStatus::not_present);       // PTE
    CHECK(walk(ram, s, va + 0x200000).status == WalkStatus::not_present);     // PDE
    CHECK(walk(ram, s, va + 0x40000000).status == WalkStatus::not_present);   // PDPTE
    CHECK(walk(ram, s, va + (1ull << 39)).status == WalkStatus::not_present); // PML4E
    // An entry whose only fault is P = 0 is still not followed.
    ram.set64(FakeRam::page(3) + index(va, 12) * 8, 0x5000 | RW);
    CHECK(walk(ram, s, va).status == WalkStatus::not_present);

    // The PD pointer leaves RAM; then CR3 itself does.
    ram.set64(FakeRam::page(1) + index(va, 30) * 8, 0x80000000 | P);
    CHECK(walk(ram, s, va).status == WalkStatus::bad_memory);
    s.cr3 = 0x7000;
    CHECK(walk(ram, s, va).status == WalkStatus::bad_memory);
}

TEST_CASE("x86 guest walk: 5-level long mode (LA57) starts at the PML5", "[x86][guest_walk]") {
    FakeRam ram;
    // PML5 page 0, PML4 page 1, PDPT page 2, PD page 3 with a 2 MiB page.
    GuestPagingState s{kCr0Pg | kCr0Pe, FakeRam::page(0), kCr4Pae | kCr4La57, kEferLme | kEferLma};
    const u64 va = 0xff11000012345678ull; // bits 56:48 index the PML5
    ram.set64(FakeRam::page(0) + index(va, 48) * 8, FakeRam::page(1) | P);
    ram.set64(FakeRam::page(1) + index(va, 39) * 8, FakeRam::page(2) | P);
    ram.set64(FakeRam::page(2) + index(va, 30) * 8, FakeRam::page(3) | P);
    ram.set64(FakeRam::page(3) + index(va, 21) * 8, 0x40000000 | PS | P);
    CHECK(walk(ram, s, va).gpa == 0x40000000 + (va & 0x1fffff));
    // The same tables read as 4-level miss: the PML5 is not a PML4.
    s.cr4 &= ~kCr4La57;
    CHECK(walk(ram, s, va).status != WalkStatus::ok);
    // A PS bit in a PML5 or PML4 entry maps nothing.
    s.cr4 |= kCr4La57;
    ram.set64(FakeRam::page(0) + index(va, 48) * 8, 0x40000000 | PS | P);
    CHECK(walk(ram, s, va).status != WalkStatus::ok);
}

TEST_CASE("x86 guest walk: 32-bit PAE paging, PDPTEs at CR3 & ~0x1f", "[x86][guest_walk]") {
    FakeRam ram;
    // The PDPT sits 0x40 into page 4; CR3's low bits 3 and 4 (PWT, PCD) are not address.
    const u64 pdpt = FakeRam::page(4) + 0x40;
    GuestPagingState s{kCr0Pg | kCr0Pe, pdpt | 0x18, kCr4Pae, kEferNxe};
    const u64 va = 0xc0801234;
    ram.set64(pdpt + 3 * 8, FakeRam::page(5) | P);
    ram.set64(FakeRam::page(5) + index(va, 21) * 8, FakeRam::page(6) | P | RW);
    ram.set64(FakeRam::page(6) + index(va, 12) * 8, NX | 0x123456000ull | P);
    CHECK(walk(ram, s, va).gpa == 0x123456234ull);
    // Bits 63:32 of the linear address do not exist outside long mode.
    CHECK(walk(ram, s, 0xabcd00000000ull | va).gpa == 0x123456234ull);

    // A 2 MiB page.
    ram.set64(FakeRam::page(5) + index(va + 0x200000, 21) * 8, 0x7fe00000 | PS | P);
    CHECK(walk(ram, s, va + 0x200000).gpa == 0x7fe00000 + ((va + 0x200000) & 0x1fffff));

    CHECK(walk(ram, s, va + 0x1000).status == WalkStatus::not_present);                    // PTE
    CHECK(walk(ram, s, va + 0x400000).status == WalkStatus::not_present);                  // PDE
    CHECK(walk(ram, s, 0x40000000 + (va & 0x3fffffff)).status == WalkStatus::not_present); // PDPTE 1
    ram.set64(pdpt + 1 * 8, 0xf0000000 | P);
    CHECK(walk(ram, s, 0x40000000).status == WalkStatus::bad_memory);
    s.cr4 |= kCr4La57; // meaningless outside long mode
    CHECK(walk(ram, s, va).gpa == 0x123456234ull);
}

TEST_CASE("x86 guest walk: legacy 32-bit paging, 4 KiB pages and 4 MiB pages under PSE", "[x86][guest_walk]") {
    FakeRam ram;
    GuestPagingState s{kCr0Pg | kCr0Pe, FakeRam::page(7) | 0x18, 0, 0};
    // PDE 0x301 (odd: the upper half of an 8-byte read) and PDE 0x302 (even).
    const u64 va_odd = 0xc0400000 | 0x3000 | 0x567, va_even = 0xc0800000 | 0x4000 | 0x89;
    ram.set32(FakeRam::page(7) + index(va_odd, 22, 1024) * 4, u32(FakeRam::page(8) | P | RW));
    ram.set32(FakeRam::page(7) + index(va_even, 22, 1024) * 4, u32(FakeRam::page(9) | P));
    ram.set32(FakeRam::page(8) + index(va_odd, 12, 1024) * 4, 0x00abc000 | P);
    ram.set32(FakeRam::page(9) + index(va_even, 12, 1024) * 4, 0xfee00000 | P | RW);
    CHECK(walk(ram, s, va_odd).gpa == 0x00abc567);
    CHECK(walk(ram, s, va_even).gpa == 0xfee00089);
    CHECK(walk(ram, s, 0x100000000ull | va_odd).gpa == 0x00abc567);
    CHECK(walk(ram, s, va_odd + 0x1000).status == WalkStatus::not_present);   // PTE
    CHECK(walk(ram, s, va_odd + 0x800000).status == WalkStatus::not_present); // PDE

    // A PS PDE: a 4 MiB page with CR4.PSE, a page-table pointer without.
    const u64 va_big = 0x00c12345;
    ram.set32(FakeRam::page(7) + index(va_big, 22, 1024) * 4, u32(FakeRam::page(10) | PS | P));
    ram.set32(FakeRam::page(10) + index(va_big, 12, 1024) * 4, 0x00777000 | P);
    CHECK(walk(ram, s, va_big).gpa == 0x00777345);
    s.cr4 |= kCr4Pse;
    CHECK(walk(ram, s, va_big).gpa == 0x00012345); // page 10 is in the 4 MiB frame at 0
    ram.set32(FakeRam::page(7) + index(va_big, 22, 1024) * 4, 0x80000000u | PS | P);
    CHECK(walk(ram, s, va_big).gpa == 0x80012345);

    // The page table leaves RAM.
    ram.set32(FakeRam::page(7) + index(va_odd, 22, 1024) * 4, 0x00003000 | P);
    CHECK(walk(ram, s, va_odd).status == WalkStatus::bad_memory);
}
