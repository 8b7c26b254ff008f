// SPDX-License-Identifier: GPL-2.0-only
// The counter and the EL2 physical timer (CNTHP) that drives time slices
// and wakes blocked vCPUs.
#include <arch/sysreg.hpp>
#include <bulkhead/arch_interface.hpp>

namespace bh::arch {
u64 now() {
    aarch64::isb();
    return BH_READ_SYSREG(cntpct_el0);
}

u64 ticks_per_second() { return BH_READ_SYSREG(cntfrq_el0); }

void set_timer(u64 deadline) {
    u64& programmed = this_cpu().arch.timer_programmed; // avoids rewriting CNTHP on every exit
    if (programmed == deadline) return;
    programmed = deadline;
    if (deadline == 0) {
        BH_WRITE_SYSREG(cnthp_ctl_el2, 0);
        return;
    }
    BH_WRITE_SYSREG(cnthp_cval_el2, deadline);
    BH_WRITE_SYSREG(cnthp_ctl_el2, 1); // enabled, not masked
    aarch64::isb();
}

// The timer fired: silence it until the scheduler programs it again.
void timer_fired() {
    BH_WRITE_SYSREG(cnthp_ctl_el2, 0);
    this_cpu().arch.timer_programmed = 0;
}

} // namespace bh::arch
