// SPDX-License-Identifier: GPL-2.0-only
// Virtual GICv3 state: per vCPU (redistributor, list registers) and per zone
// (distributor).
#pragma once

#include <bulkhead/spinlock.hpp>
#include <bulkhead/types.hpp>

namespace bh::arch {

inline constexpr unsigned kVgicMaxLrs = 16;
inline constexpr unsigned kVgicSpis = 64; // INTIDs 32..95; GICD_TYPER.ITLinesNumber = 2
inline constexpr unsigned kVgicIntids = 32 + kVgicSpis;
inline constexpr u32 kVtimerIntid = 27;
inline constexpr u32 kPtimerIntid = 30;
inline constexpr u32 kMaintenanceIntid = 25;

struct VgicCpuState {
    // Raised but not yet in a list register. Bits 0..31 SGIs and PPIs,
    // then the zone's SPIs routed to this vCPU. Set by any CPU, atomically.
    u32 pending[kVgicIntids / 32];
    // Redistributor (SGI_base frame) state for SGIs and PPIs.
    u32 enabled_private;
    u8 priority_private[32];
    u32 icfgr1;
    bool processor_sleep = true;
    // Saved CPU interface state while the vCPU is off the CPU.
    u64 lr[kVgicMaxLrs];
    u64 vmcr, ap0r0, ap1r0, hcr;
    // Timers (bit 0 virtual, 1 physical) whose physical PPI the hypervisor
    // acknowledged for this vCPU, not yet in a list register (vgic.cpp).
    u8 hw_held;
};

struct VgicDistState {
    Spinlock lock{LockLevel::irq_controller};
    u32 ctlr;
    u32 enabled[kVgicSpis / 32];
    u8 priority[kVgicSpis];
    u32 icfgr[kVgicSpis / 16];
    u64 irouter[kVgicSpis];
};

} // namespace bh::arch
