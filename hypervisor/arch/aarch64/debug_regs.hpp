// SPDX-License-Identifier: GPL-2.0-only
// A zone's self-hosted debug registers. Every access traps (MDCR_EL2.TDA,
// TDOSA, TDRA) and is emulated on a per-vCPU copy; the breakpoint and
// watchpoint registers, the OS lock and the OS double lock reach the CPU
// only while a vCPU has set any of them, and are cleared before a vCPU that
// has not runs. So nothing a zone writes there is seen, or fires, in the
// next zone on the CPU.
#pragma once

#include <bulkhead/vcpu.hpp>

namespace bh::aarch64 {

u64 debug_mdcr_bits(); // MDCR_EL2 traps for the debug registers
void debug_init_cpu(); // unlocks the CPU's OS lock, clears every pair
void debug_reset(Vcpu& v);
void debug_load(Vcpu& v);

} // namespace bh::aarch64
