// SPDX-License-Identifier: GPL-2.0-only
// Intel SDM vol. 3 ch. 4 (paging), AMD APM vol. 2 ch. 5.
#include "guest_walk.hpp"

namespace bh::x86_64 {
namespace {

constexpr u64 kCr0Pg = 1ull << 31;
constexpr u64 kCr4Pse = 1ull << 4, kCr4Pae = 1ull << 5, kCr4La57 = 1ull << 12;
constexpr u64 kEferLma = 1ull << 10;
constexpr u64 kPresent = 1, kLarge = 1u << 7;
constexpr u64 kAddrMask = 0x000ffffffffff000ull; // bits 51:12

// The page's frame (bits 51:page_shift of the entry) plus the offset.
constexpr u64 leaf(u64 entry, u64 linear, unsigned page_shift) {
    u64 offset = (1ull << page_shift) - 1;
    return (entry & kAddrMask & ~offset) | (linear & offset);
}

// One 8-byte entry: the table address comes from the entry above (or CR3).
WalkStatus read_entry(ReadGuestPhys64 read, void* ctx, u64 gpa, u64& entry) {
    if (!read(ctx, GuestPhys(gpa), entry)) return WalkStatus::bad_memory;
    return (entry & kPresent) ? WalkStatus::ok : WalkStatus::not_present;
}

// Walks 8-byte entries from `table`, one level per 9 index bits starting at
// `top_shift`. A PS entry ends the walk early only at levels that can map a
// page (those translating at most `large_max_shift` bits: not the PML4).
WalkStatus walk64(u64 table, u64 linear, unsigned top_shift, unsigned large_max_shift, ReadGuestPhys64 read, void* ctx,
                  u64& gpa) {
    for (unsigned shift = top_shift;; shift -= 9) {
        u64 e;
        if (WalkStatus st = read_entry(read, ctx, table + ((linear >> shift) & 511) * 8, e); st != WalkStatus::ok)
            return st;
        if (shift == 12 || (shift <= large_max_shift && (e & kLarge))) {
            gpa = leaf(e, linear, shift);
            return WalkStatus::ok;
        }
        table = e & kAddrMask;
    }
}

// Legacy paging's 4-byte entries, read as the half of an aligned 8-byte read
// (which never crosses the table's page).
WalkStatus read_entry32(ReadGuestPhys64 read, void* ctx, u64 gpa, u64& entry) {
    u64 pair;
    if (!read(ctx, GuestPhys(gpa & ~7ull), pair)) return WalkStatus::bad_memory;
    entry = (gpa & 4) ? pair >> 32 : pair & 0xffffffffull;
    return (entry & kPresent) ? WalkStatus::ok : WalkStatus::not_present;
}

WalkStatus translate(const GuestPagingState& s, u64 linear, ReadGuestPhys64 read, void* ctx, u64& gpa) {
    if (!(s.cr0 & kCr0Pg)) {
        gpa = linear & 0xffffffffull;
        return WalkStatus::ok;
    }
    if (s.efer & kEferLma) {
        // LA57 (5-level paging: a PML5 above the PML4) only takes effect in
        // long mode. Distribution kernels turn it on where CPUID offers it.
        return walk64(s.cr3 & kAddrMask, linear, (s.cr4 & kCr4La57) ? 48 : 39, 30, read, ctx, gpa);
    }
    linear &= 0xffffffffull;
    if (s.cr4 & kCr4Pae) {
        // The PDPT is 32 bytes, 32-byte aligned, below 4 GiB; its entries
        // cannot map pages.
        u64 pdpte;
        if (WalkStatus st = read_entry(read, ctx, (s.cr3 & 0xffffffe0ull) + (linear >> 30) * 8, pdpte);
            st != WalkStatus::ok)
            return st;
        return walk64(pdpte & kAddrMask, linear, 21, 21, read, ctx, gpa);
    }
    u64 pde, pte;
    if (WalkStatus st = read_entry32(read, ctx, (s.cr3 & 0xfffff000ull) + (linear >> 22) * 4, pde);
        st != WalkStatus::ok)
        return st;
    if ((s.cr4 & kCr4Pse) && (pde & kLarge)) {
        gpa = (pde & 0xffc00000ull) | (linear & 0x3fffffull);
        return WalkStatus::ok;
    }
    if (WalkStatus st = read_entry32(read, ctx, (pde & 0xfffff000ull) + ((linear >> 12) & 1023) * 4, pte);
        st != WalkStatus::ok)
        return st;
    gpa = (pte & 0xfffff000ull) | (linear & 0xfffull);
    return WalkStatus::ok;
}

} // namespace

WalkStatus guest_linear_to_phys(const GuestPagingState& s, GuestVirt linear, ReadGuestPhys64 read, void* ctx,
                                GuestPhys& gpa) {
    u64 out = 0;
    WalkStatus st = translate(s, linear.raw(), read, ctx, out);
    if (st == WalkStatus::ok) gpa = GuestPhys(out);
    return st;
}

} // namespace bh::x86_64
