// SPDX-License-Identifier: GPL-2.0-only
// arm64 state of one physical CPU, a member of its PerCpu entry
// (bulkhead/percpu.hpp): what the hardware was last told, so exits need not
// read it back (a GIC register read is slow, under emulation especially).
#pragma once

#include <bulkhead/types.hpp>

namespace bh::arch {

struct CpuContext {
    u64 timer_programmed = 0;      // CNTHP_CVAL_EL2 as last set, 0: off (timer.cpp)
    u64 ich_hcr = 0;               // ICH_HCR_EL2 as last written (vgic.cpp)
    bool hardware_lrs = false;     // list registers may hold a hardware (timer) entry (vgic.cpp)
    u8 fresh_timers = 0;           // timers whose PPI fired in this exit: asserted (vgic.cpp)
    bool debug_regs_dirty = false; // debug registers may hold a zone's values (debug_regs.cpp)
};

} // namespace bh::arch
