// SPDX-License-Identifier: GPL-2.0-only
// PSCI calls the hypervisor makes to firmware (SMC from EL2).
#pragma once

#include <bulkhead/types.hpp>

namespace bh::aarch64 {

inline constexpr u32 kPsciVersion = 0x84000000;
inline constexpr u32 kPsciCpuSuspend64 = 0xC4000001;
inline constexpr u32 kPsciCpuOff = 0x84000002;
inline constexpr u32 kPsciCpuOn64 = 0xC4000003;
inline constexpr u32 kPsciCpuOn32 = 0x84000003;
inline constexpr u32 kPsciAffinityInfo64 = 0xC4000004;
inline constexpr u32 kPsciAffinityInfo32 = 0x84000004;
inline constexpr u32 kPsciMigrateInfoType = 0x84000006;
inline constexpr u32 kPsciSystemOff = 0x84000008;
inline constexpr u32 kPsciSystemReset = 0x84000009;
inline constexpr u32 kPsciFeatures = 0x8400000A;
inline constexpr u32 kSmcccVersion = 0x80000000;
inline constexpr u32 kSmcccArchFeatures = 0x80000001;

inline constexpr i64 kPsciSuccess = 0;
inline constexpr i64 kPsciNotSupported = -1;
inline constexpr i64 kPsciInvalidParameters = -2;
inline constexpr i64 kPsciDenied = -3;
inline constexpr i64 kPsciAlreadyOn = -4;

inline i64 smc_call(u64 fn, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0) {
    register u64 x0 asm("x0") = fn;
    register u64 x1 asm("x1") = a1;
    register u64 x2 asm("x2") = a2;
    register u64 x3 asm("x3") = a3;
    asm volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
    return static_cast<i64>(x0);
}

} // namespace bh::aarch64
