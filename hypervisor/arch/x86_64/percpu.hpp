// SPDX-License-Identifier: GPL-2.0-only
// Per-CPU x86 state, reached through the GS base.
#pragma once

#include <bulkhead/percpu.hpp>
#include <bulkhead/types.hpp>

namespace bh::x86_64 {

// This CPU's x86 state: PerCpu::arch (<arch/cpu_context.hpp>).
using CpuLocal = arch::CpuContext;

CpuLocal& local();
CpuLocal& local(unsigned index);
u64 stack_top(unsigned index);
// Called on each CPU before anything uses this_cpu().
void percpu_init(unsigned index, u32 apic_id);

} // namespace bh::x86_64
