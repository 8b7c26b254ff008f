// SPDX-License-Identifier: GPL-2.0-only
#include "percpu.hpp"

#include "asm_defs.h"

#include <arch/x86.hpp>
#include <bulkhead/arch_interface.hpp>

extern "C" char hyp_stacks[];

namespace bh::x86_64 {

static_assert(BH_MAX_CPUS == arch::kMaxCpus, "asm_defs.h and arch/cpu.hpp disagree");

namespace {
PerCpu cpus[arch::kMaxCpus];
CpuLocal locals[arch::kMaxCpus];
unsigned cpus_online = 0;
} // namespace

CpuLocal& local() {
    CpuLocal* p;
    asm volatile("mov %%gs:%c1, %0" : "=r"(p) : "i"(__builtin_offsetof(CpuLocal, self)));
    return *p;
}
CpuLocal& local(unsigned index) { return locals[index]; }

u64 stack_top(unsigned index) { return reinterpret_cast<u64>(hyp_stacks) + (u64(index + 1) << BH_STACK_SHIFT); }

void percpu_init(unsigned index, u32 apic_id) {
    PerCpu& c = cpus[index];
    CpuLocal& l = locals[index];
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

void percpu_mark_online(unsigned index) {
    cpus[index].online = true;
    __atomic_add_fetch(&cpus_online, 1, __ATOMIC_ACQ_REL);
}

} // namespace bh::x86_64

namespace bh::arch {

PerCpu& this_cpu() {
    PerCpu* p;
    asm volatile("mov %%gs:0, %0" : "=r"(p));
    return *p;
}
PerCpu& cpu(unsigned index) { return x86_64::cpus[index]; }
unsigned online_cpus() { return __atomic_load_n(&x86_64::cpus_online, __ATOMIC_ACQUIRE); }

// percpu_init(0) runs before the first log line, so GS is always set.
unsigned cpu_id() { return this_cpu().index; }

} // namespace bh::arch
