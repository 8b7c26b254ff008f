// SPDX-License-Identifier: GPL-2.0-only
#include "percpu.hpp"

#include "asm_defs.h"

#include <arch/x86.hpp>
#include <bulkhead/arch_interface.hpp>

extern "C" char hyp_stacks[];

namespace bh::x86_64 {

static_assert(BH_MAX_CPUS == kMaxCpus, "asm_defs.h and bulkhead/percpu.hpp disagree");

CpuLocal& local() { return arch::this_cpu().arch; }
CpuLocal& local(unsigned index) { return cpu(index).arch; }

u64 stack_top(unsigned index) { return reinterpret_cast<u64>(hyp_stacks) + (u64(index + 1) << BH_STACK_SHIFT); }

void percpu_init(unsigned index, u32 apic_id) {
    PerCpu& c = cpu(index);
    CpuLocal& l = c.arch;
    c.index = index;
    c.hw_id = apic_id;
    c.stack_top = stack_top(index);
    l.percpu = &c;
    l.self = &l;
    l.stack_top = c.stack_top;
    l.apic_id = apic_id;
    l.tsc_aux = ~u64(0); // whatever firmware left: the first vCPU loaded writes its own
    x86::wrmsr(x86::kMsrGsBase, reinterpret_cast<u64>(&l));
}

} // namespace bh::x86_64

namespace bh::arch {

PerCpu& this_cpu() {
    u64 rsp;
    asm volatile("mov %%rsp, %0" : "=r"(rsp));
    const unsigned index = x86_64::stack_owner(rsp, reinterpret_cast<u64>(hyp_stacks), BH_STACK_SHIFT, kMaxCpus);
    if (index < kMaxCpus) return cpu(index);
    // On an IST stack (a #DF or #MC handler, which only panics): the GS
    // base, which a zone's may have replaced; the panic guard stops there.
    PerCpu* p;
    asm volatile("mov %%gs:0, %0" : "=r"(p));
    return *p;
}

// percpu_init(0) runs before the first log line, so the boot CPU's stack
// and GS base are both set.
unsigned cpu_id() { return this_cpu().index; }

} // namespace bh::arch
