// SPDX-License-Identifier: GPL-2.0-only
// Running test code at CPL 3 (user mode) inside an x86 test zone, the way
// a zone's kernel runs its processes: the zone's own page tables with user
// pages, a GDT with ring-3 segments and a TSS, and a way back to CPL 0.
#pragma once

#include <guest/types.hpp>

namespace bh::user {

// On the calling vCPU: switches to page tables mapping [0x40000000,
// 0x80000000) (the zone's RAM) with 2 MiB user pages, loads a GDT with
// ring-3 code and data segments and a TSS (RSP0: a kernel stack for
// entries from CPL 3), and opens IDT vector kReturnVector to CPL 3.
void init();

inline constexpr u32 kReturnVector = 0x80;
inline constexpr u16 kUserCs = 0x23, kUserSs = 0x1b;

// Runs fn(arg) at CPL 3 on a user stack, interrupts off, IOPL 0, and
// returns what fn returned: fn returns to a stub that executes INT 0x80,
// whose DPL-3 gate brings the CPU back to CPL 0. One vCPU at a time.
u64 call(u64 (*fn)(u64), u64 arg = 0);

// The privilege level the caller runs at (CS bits 1:0).
inline u32 cpl() {
    u16 cs;
    asm volatile("mov %%cs, %0" : "=r"(cs));
    return cs & 3;
}

} // namespace bh::user
