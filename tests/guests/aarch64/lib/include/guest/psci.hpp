// SPDX-License-Identifier: GPL-2.0-only
// PSCI 1.x calls a zone makes to its virtual firmware (on bare QEMU virt at
// EL1, QEMU itself answers them).
#pragma once

#include <guest/smccc.hpp>

namespace bh::psci {

inline constexpr u64 kVersion = 0x84000000;
inline constexpr u64 kCpuOff = 0x84000002;
inline constexpr u64 kCpuOn = 0xC4000003;
inline constexpr u64 kAffinityInfo = 0xC4000004;
inline constexpr u64 kSystemOff = 0x84000008;
inline constexpr u64 kSystemReset = 0x84000009;
inline constexpr u64 kFeatures = 0x8400000A;

// Return codes.
inline constexpr i64 kSuccess = 0;
inline constexpr i64 kNotSupported = -1;
inline constexpr i64 kInvalidParameters = -2;
inline constexpr i64 kDenied = -3;
inline constexpr i64 kAlreadyOn = -4;
inline constexpr i64 kOnPending = -5;

// AFFINITY_INFO results.
inline constexpr i64 kAffinityOn = 0;
inline constexpr i64 kAffinityOff = 1;
inline constexpr i64 kAffinityOnPending = 2;

inline i64 version() { return smccc_hvc(kVersion).status; }
inline i64 cpu_on(u64 mpidr, u64 entry, u64 context) { return smccc_hvc(kCpuOn, mpidr, entry, context).status; }
inline i64 cpu_off() { return smccc_hvc(kCpuOff).status; }
inline i64 affinity_info(u64 mpidr) { return smccc_hvc(kAffinityInfo, mpidr, 0).status; }
inline i64 features(u64 fn) { return smccc_hvc(kFeatures, fn).status; }
inline void system_off() { smccc_hvc(kSystemOff); }

} // namespace bh::psci
