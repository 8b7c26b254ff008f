// SPDX-License-Identifier: GPL-2.0-only
// Per-CPU x86 state, found from the stack the CPU runs on.
#pragma once

#include <bulkhead/percpu.hpp>
#include <bulkhead/types.hpp>

namespace bh::x86_64 {

// This CPU's x86 state: PerCpu::arch (<arch/cpu_context.hpp>).
using CpuLocal = arch::CpuContext;

// The CPU whose hypervisor stack (16 KiB each from `stacks`, the top
// included) holds `rsp`, or `cpus` if none does (an IST stack: #DF, NMI,
// #MC). Why the stack and not the GS base: from VMRUN's #VMEXIT to the
// VMLOAD of the host's state the GS base is the zone's, and QEMU's TCG
// has been seen delivering a physical interrupt right there, with GIF
// clear (the hypervisor then faulted in its own handler, and again in the
// panic it raised, until the stack ran through its memory).
constexpr unsigned stack_owner(u64 rsp, u64 stacks, unsigned shift, unsigned cpus) {
    if (rsp <= stacks) return cpus;
    const u64 index = (rsp - 1 - stacks) >> shift;
    return index < cpus ? static_cast<unsigned>(index) : cpus;
}

CpuLocal& local();
CpuLocal& local(unsigned index);
u64 stack_top(unsigned index);
// Called on each CPU before anything uses this_cpu().
void percpu_init(unsigned index, u32 apic_id);

} // namespace bh::x86_64
