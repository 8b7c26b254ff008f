// SPDX-License-Identifier: GPL-2.0-only
#include "asm_defs.h"

#include <arch/sysreg.hpp>
#include <bulkhead/arch_interface.hpp>

namespace bh::arch {

static_assert(BH_MAX_CPUS == kMaxCpus, "asm_defs.h and arch/cpu.hpp disagree");

namespace {
PerCpu cpus[kMaxCpus];
unsigned cpus_online = 0;
} // namespace

PerCpu& this_cpu() { return *reinterpret_cast<PerCpu*>(BH_READ_SYSREG(tpidr_el2)); }
PerCpu& cpu(unsigned index) { return cpus[index]; }
unsigned online_cpus() { return __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE); }

unsigned cpu_id() {
    u64 p = BH_READ_SYSREG(tpidr_el2);
    return p ? reinterpret_cast<PerCpu*>(p)->index : 0;
}

// Called on each CPU before anything else uses this_cpu().
void percpu_init(unsigned index, u64 mpidr, u64 stack_top) {
    PerCpu& c = cpus[index];
    c.index = index;
    c.hw_id = mpidr;
    c.stack_top = stack_top;
    BH_WRITE_SYSREG(tpidr_el2, reinterpret_cast<u64>(&c));
}

void percpu_mark_online(unsigned index) {
    cpus[index].online = true;
    __atomic_add_fetch(&cpus_online, 1, __ATOMIC_ACQ_REL);
}

} // namespace bh::arch
