// SPDX-License-Identifier: GPL-2.0-only
#include "guest_paging.hpp"

#include <arch/x86.hpp>
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/zone.hpp>

namespace bh::x86_64 {
namespace {
constexpr u64 kPresent = 1, kWrite = 2, kLarge = 1u << 7;
constexpr u64 kEntries = 512;
} // namespace

Status build_guest_identity_map(Zone& z) {
    if (z.ram.size < 2 * kBootTablesSize) return Status::invalid_argument;
    GuestPhys base = z.ram.end() - kBootTablesSize;
    bool huge = (x86::cpuid(0x80000001).edx >> 26) & 1;
    u64 table[kEntries];
    // PML4: entry 0 -> the PDPT in the next page.
    __builtin_memset(table, 0, sizeof table);
    table[0] = (base + kPageSize).raw() | kPresent | kWrite;
    if (Status s = copy_to_guest(z, base, table, sizeof table); s != Status::ok) return s;
    // PDPT: 1 GiB leaves, or four page directories.
    for (u64 i = 0; i < kEntries; ++i)
        table[i] = huge ? ((i << 30) | kPresent | kWrite | kLarge)
                        : (i < 4 ? (base + (2 + i) * kPageSize).raw() | kPresent | kWrite : 0);
    if (Status s = copy_to_guest(z, base + kPageSize, table, sizeof table); s != Status::ok) return s;
    for (u64 d = 0; !huge && d < 4; ++d) {
        for (u64 i = 0; i < kEntries; ++i) table[i] = (((d << 9) + i) << 21) | kPresent | kWrite | kLarge;
        if (Status s = copy_to_guest(z, base + (2 + d) * kPageSize, table, sizeof table); s != Status::ok) return s;
    }
    z.arch.boot_tables = base;
    return Status::ok;
}

} // namespace bh::x86_64
