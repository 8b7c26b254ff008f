// SPDX-License-Identifier: GPL-2.0-only
// ICH_LR<n>_EL2 by index, and the list-register encoding.
#pragma once

#include <arch/sysreg.hpp>

namespace bh::aarch64 {

// ICH_LR<n>_EL2 (GICv3 12.4.6).
inline constexpr u64 kLrStatePending = 1ull << 62;
inline constexpr u64 kLrStateActive = 1ull << 63;
inline constexpr u64 kLrStateMask = kLrStatePending | kLrStateActive;
inline constexpr u64 kLrHw = 1ull << 61; // deactivating the virtual interrupt deactivates pINTID
inline constexpr u64 kLrGroup1 = 1ull << 60;
inline constexpr u64 kLrPriorityShift = 48;
inline constexpr u64 kLrPintidShift = 32;
inline constexpr u64 kLrPintidMask = 0x1fffull << kLrPintidShift;
inline constexpr u64 kLrIntidMask = 0xffffffffull;
static_assert((kLrStateMask | kLrHw | kLrGroup1 | (0xffull << kLrPriorityShift) | kLrPintidMask | kLrIntidMask) ==
                  0xf0ff1fffffffffffull,
              "ICH_LR field layout");

constexpr u32 lr_intid(u64 lr) { return static_cast<u32>(lr & kLrIntidMask); }
constexpr u32 lr_pintid(u64 lr) { return static_cast<u32>((lr & kLrPintidMask) >> kLrPintidShift); }
constexpr u64 lr_hw(u32 pintid) { return kLrHw | (u64(pintid) << kLrPintidShift); }
inline constexpr u64 kIchHcrEn = 1u << 0;
inline constexpr u64 kIchHcrUie = 1u << 1;

#define BH_LR_CASES(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

inline u64 read_lr(unsigned n) {
    switch (n) {
#define BH_READ_LR(i)                                                                                                  \
    case i: return BH_READ_SYSREG(ich_lr##i##_el2);
        BH_LR_CASES(BH_READ_LR)
#undef BH_READ_LR
    }
    return 0;
}

inline void write_lr(unsigned n, u64 v) {
    switch (n) {
#define BH_WRITE_LR(i)                                                                                                 \
    case i: BH_WRITE_SYSREG(ich_lr##i##_el2, v); break;
        BH_LR_CASES(BH_WRITE_LR)
#undef BH_WRITE_LR
    }
}

} // namespace bh::aarch64
