// SPDX-License-Identifier: GPL-2.0-only
// Fetching the instruction behind an exit that does not describe it (an
// MMIO access, a CR write without decode assists): through the zone's own
// page tables from RIP, as the CPU fetched it.
#pragma once

#include "guest_walk.hpp"

#include <bulkhead/types.hpp>

namespace bh {
struct Vcpu;
}

namespace bh::x86_64 {

struct GuestCpuMode {
    GuestPagingState paging;
    bool code64; // CS.L in long mode: 64-bit code
    u64 cs_base; // outside 64-bit mode the fetch is at CS.base + RIP
};

inline constexpr usize kMaxInsnLength = 15;

// Copies up to 15 bytes at the zone's current RIP, page by page (an
// instruction may straddle two pages mapped anywhere). Returns how many it
// got: fewer where a page is not present or not the zone's RAM.
usize fetch_insn(const Vcpu& v, const GuestCpuMode& mode, u8 (&out)[kMaxInsnLength]);

} // namespace bh::x86_64
