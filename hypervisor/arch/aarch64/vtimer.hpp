// SPDX-License-Identifier: GPL-2.0-only
// A vCPU's EL1 virtual and physical timers as the level-sensitive
// interrupt sources they are. Their registers are the zone's own (no traps;
// switched with the vCPU); their physical PPIs (27, 30) are taken by the
// hypervisor and handed to the vCPU through a hardware list register
// (vgic.cpp), so the zone's EOI deactivates the physical PPI and a line that
// is still asserted fires again. The hypervisor never writes IMASK.
#pragma once

#include <bulkhead/vcpu.hpp>

namespace bh::aarch64 {

inline constexpr unsigned kTimers = 2;                // 0 virtual, 1 physical
inline constexpr u32 kTimerIntid[kTimers] = {27, 30}; // the same INTID, physical and virtual
inline constexpr u32 kTimerIntidBits = (1u << 27) | (1u << 30);

constexpr int timer_of_intid(u32 intid) { return intid == 27 ? 0 : (intid == 30 ? 1 : -1); }

// CNT*_CTL_EL0 and the condition (Arm ARM D11.2.4).
inline constexpr u64 kCntCtlEnable = 1, kCntCtlImask = 2, kCntCtlIstatus = 4;

// Whether timer t's output is asserted: ENABLE, not IMASK, CVAL reached.
// From the CPU if `v` is loaded here, else from its saved registers.
bool timer_line(const Vcpu& v, unsigned t);
bool loaded_here(const Vcpu& v);

} // namespace bh::aarch64
