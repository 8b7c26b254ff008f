// SPDX-License-Identifier: GPL-2.0-only
// The EL1 self-hosted debug registers: breakpoint and watchpoint pairs by
// index, and the control bits tests use.
#pragma once

#include <guest/types.hpp>

namespace bh::debug {

inline constexpr u64 kMdscrKde = 1u << 13; // local (kernel) debug enable
inline constexpr u64 kMdscrMde = 1u << 15; // monitor debug events
inline constexpr u64 kOslsrOslk = 1u << 1;

// DBGBCR: E, PMC = EL1 and EL0, BAS = all four bytes (an A64 instruction).
inline constexpr u64 kBcrEnabledEl1El0 = (0xfu << 5) | (3u << 1) | 1u;
// DBGWCR: E, PAC = EL1 and EL0, LSC = loads and stores, BAS = all 8 bytes.
inline constexpr u64 kWcrEnabledEl1El0 = (0xffu << 5) | (3u << 3) | (3u << 1) | 1u;

// ID_AA64DFR0_EL1.BRPs + 1 and WRPs + 1, as this CPU (or zone) reports them.
u32 breakpoints();
u32 watchpoints();

u64 read_bvr(u32 n);
u64 read_bcr(u32 n);
u64 read_wvr(u32 n);
u64 read_wcr(u32 n);
void write_bvr(u32 n, u64 v);
void write_bcr(u32 n, u64 v);
void write_wvr(u32 n, u64 v);
void write_wcr(u32 n, u64 v);

} // namespace bh::debug
