// SPDX-License-Identifier: GPL-2.0-only
// ESR_EL2 / ESR_EL1 syndromes by field name (Arm ARM D17.2.37), for the
// exception classes the hypervisor decodes or injects.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::aarch64::esr {

inline constexpr unsigned kEcShift = 26;
inline constexpr u64 kIl = 1ull << 25; // 32-bit instruction
inline constexpr u64 kIssMask = (1ull << 25) - 1;

enum Ec : u32 {
    kEcUnknown = 0x00,
    kEcWfx = 0x01,
    kEcHvc64 = 0x16,
    kEcSmc64 = 0x17,
    kEcSysreg = 0x18,
    kEcSve = 0x19,
    kEcSme = 0x1d,
    kEcInstrAbortLower = 0x20,
    kEcInstrAbortSame = 0x21,
    kEcDataAbortLower = 0x24,
    kEcDataAbortSame = 0x25,
};

constexpr u32 ec(u64 esr) { return static_cast<u32>(esr >> kEcShift) & 0x3f; }
constexpr u32 iss(u64 esr) { return static_cast<u32>(esr & kIssMask); }
constexpr u64 make(u32 ec_value, u32 iss_value) { return (u64(ec_value) << kEcShift) | kIl | iss_value; }

constexpr u32 bits(u32 v, unsigned lo, unsigned width) { return (v >> lo) & ((1u << width) - 1); }

// EC 0x18: MSR, MRS or system instruction.
struct SysregIss {
    u32 raw;
    constexpr bool read() const { return raw & 1; } // Direction: 1 = MRS
    constexpr unsigned rt() const { return bits(raw, 5, 5); }
    constexpr u32 crm() const { return bits(raw, 1, 4); }
    constexpr u32 crn() const { return bits(raw, 10, 4); }
    constexpr u32 op1() const { return bits(raw, 14, 3); }
    constexpr u32 op2() const { return bits(raw, 17, 3); }
    constexpr u32 op0() const { return bits(raw, 20, 2); }
};

// EC 0x24/0x25: data abort.
struct DataAbortIss {
    u32 raw;
    constexpr bool isv() const { return raw >> 24 & 1; }               // the fields below are valid
    constexpr unsigned size() const { return 1u << bits(raw, 22, 2); } // SAS, in bytes
    constexpr bool sign_extend() const { return raw >> 21 & 1; }       // SSE
    constexpr unsigned srt() const { return bits(raw, 16, 5); }
    constexpr bool sixty_four() const { return raw >> 15 & 1; } // SF: 64-bit register
    constexpr bool s1ptw() const { return raw >> 7 & 1; }       // fault on the stage-1 table walk
    constexpr bool write() const { return raw >> 6 & 1; }       // WnR
};
inline constexpr u32 kDaWnR = 1u << 6;
inline constexpr u32 kFscSyncExternal = 0x10;

// EC 0x01: WFI, WFE, WFIT, WFET.
struct WfxIss {
    u32 raw;
    enum Kind : u32 { kWfi = 0, kWfe = 1, kWfit = 2, kWfet = 3 };
    constexpr Kind kind() const { return static_cast<Kind>(bits(raw, 0, 2)); } // TI
    constexpr bool register_valid() const { return raw >> 2 & 1; }             // RV
    constexpr unsigned rn() const { return bits(raw, 5, 5); }                  // the timeout's register
};

static_assert(SysregIss{(3u << 20) | (5u << 17) | (0u << 14) | (12u << 10) | (11u << 1) | 1}.op2() == 5);
static_assert(SysregIss{(3u << 20) | (12u << 10) | (11u << 1)}.crm() == 11);
static_assert(DataAbortIss{(1u << 24) | (2u << 22) | (7u << 16)}.size() == 4);
static_assert(DataAbortIss{(1u << 24) | (2u << 22) | (7u << 16)}.srt() == 7);
static_assert(WfxIss{2 | (1u << 2) | (9u << 5)}.kind() == WfxIss::kWfit);
static_assert(make(kEcDataAbortSame, kFscSyncExternal) == 0x96000010);

} // namespace bh::aarch64::esr
