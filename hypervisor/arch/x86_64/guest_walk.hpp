// SPDX-License-Identifier: GPL-2.0-only
// Translation of a zone's linear address through the zone's own page
// tables, for fetching the instruction behind an MMIO exit (the exit gives
// RIP, a linear address, not where its bytes are). Pure: guest memory is
// read through a callback, so the walk is tested on the host.
//
// Permissions are not checked: the instruction already executed up to its
// data access, so its fetch was allowed. Present bits are, because the
// zone may have changed its tables since (another vCPU), and a missing
// entry must not be followed. Accessed/dirty bits are not set.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::x86_64 {

struct GuestPagingState {
    u64 cr0, cr3, cr4, efer;
};

// Reads the 8 bytes at guest-physical `gpa` (8-byte aligned); false if
// they are not in the zone's RAM.
using ReadGuestPhys64 = bool (*)(void* ctx, GuestPhys gpa, u64& value);

enum class WalkStatus : u8 {
    ok,
    not_present, // an entry on the way has P = 0
    bad_memory,  // a table lies outside the zone's RAM
};

// Paging off: the linear address truncated to 32 bits. Long mode (EFER.LMA):
// 4 levels with 1 GiB and 2 MiB pages. CR4.PAE otherwise: 3 levels, the four
// PDPTEs read from memory at CR3 (the CPU caches them at CR3 load; a zone
// rewriting them without reloading CR3 is not modelled). Else legacy 32-bit
// paging with 4 MiB pages under CR4.PSE (PSE-36's high bits ignored).
WalkStatus guest_linear_to_phys(const GuestPagingState& s, GuestVirt linear, ReadGuestPhys64 read, void* ctx,
                                GuestPhys& gpa);

} // namespace bh::x86_64
