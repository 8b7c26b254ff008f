// SPDX-License-Identifier: GPL-2.0-only
// PSTATE as SPSR_ELx holds it (Arm ARM C5.2.19), and what taking an
// exception to EL1 makes of it.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::aarch64::pstate {

enum : u64 {
    kModeMask = 0xf,
    kModeEl0t = 0x0,
    kModeEl1t = 0x4,
    kModeEl1h = 0x5,
    kF = 1u << 6,
    kI = 1u << 7,
    kA = 1u << 8,
    kD = 1u << 9,
    kBtypeMask = 3u << 10,
    kSsbs = 1u << 12,
    kAllint = 1u << 13,
    kIl = 1u << 20,
    kSs = 1u << 21,
    kPan = 1u << 22,
    kUao = 1u << 23,
    kDit = 1u << 24,
    kTco = 1u << 25,
    kNzcvMask = 0xfull << 28,
};
inline constexpr u64 kDaif = kD | kA | kI | kF;
inline constexpr u64 kEl1hMasked = kModeEl1h | kDaif;
static_assert(kEl1hMasked == 0x3c5);

// SCTLR_EL1 bits that decide PSTATE on exception entry.
inline constexpr u64 kSctlrSpan = 1ull << 23;  // 0: PSTATE.PAN is set on entry
inline constexpr u64 kSctlrDssbs = 1ull << 44; // PSTATE.SSBS on entry

struct EntryFeatures {
    bool pan, mte, ssbs;
};

// AArch64.TakeException: the PSTATE of the handler, from the interrupted
// one and the target's SCTLR_EL1. NZCV, DIT and ALLINT are kept; SS, IL,
// UAO and BTYPE are cleared; D, A, I, F set; PAN set if SPAN is 0 (else
// kept); SSBS = DSSBS; TCO set.
constexpr u64 on_exception_entry(u64 old, u64 sctlr, EntryFeatures f) {
    u64 v = (old & (kNzcvMask | kDit | kAllint)) | kEl1hMasked;
    if (f.pan) v |= (sctlr & kSctlrSpan) ? (old & kPan) : kPan;
    if (f.ssbs && (sctlr & kSctlrDssbs)) v |= kSsbs;
    if (f.mte) v |= kTco;
    return v;
}

static_assert(on_exception_entry(kModeEl1h, 0, {true, false, false}) == (kEl1hMasked | kPan));
static_assert(on_exception_entry(kModeEl1h, kSctlrSpan, {true, false, false}) == kEl1hMasked);
static_assert(on_exception_entry(kModeEl1h | kPan | kUao | kDit | kSs, kSctlrSpan, {true, false, false}) ==
              (kEl1hMasked | kPan | kDit));
static_assert(on_exception_entry(kModeEl0t | kSsbs | kBtypeMask, kSctlrDssbs, {true, true, true}) ==
              (kEl1hMasked | kPan | kSsbs | kTco));

// The vector offset from VBAR_EL1 for a synchronous exception.
constexpr u64 sync_vector_offset(u64 old) {
    switch (old & kModeMask) {
    case kModeEl0t: return 0x400; // lower EL, AArch64
    case kModeEl1t: return 0x000; // current EL with SP_EL0
    default: return 0x200;        // current EL with SP_ELx
    }
}

} // namespace bh::aarch64::pstate
