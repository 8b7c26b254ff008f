// SPDX-License-Identifier: GPL-2.0-only
// arm64: TPIDR_EL2 points at this CPU's entry of the per-CPU table.
#include "asm_defs.h"

#include <arch/sysreg.hpp>
#include <bulkhead/arch_interface.hpp>

namespace bh::arch {

static_assert(BH_MAX_CPUS == kMaxCpus, "asm_defs.h and bulkhead/percpu.hpp disagree");

PerCpu& this_cpu() { return *reinterpret_cast<PerCpu*>(BH_READ_SYSREG(tpidr_el2)); }

unsigned cpu_id() {
    u64 p = BH_READ_SYSREG(tpidr_el2);
    return p ? reinterpret_cast<PerCpu*>(p)->index : 0;
}

// Called on each CPU before anything else uses this_cpu().
void percpu_init(unsigned index, u64 mpidr, u64 stack_top) {
    PerCpu& c = cpu(index);
    c.index = index;
    c.hw_id = mpidr;
    c.stack_top = stack_top;
    BH_WRITE_SYSREG(tpidr_el2, reinterpret_cast<u64>(&c));
}

} // namespace bh::arch
