// SPDX-License-Identifier: GPL-2.0-only
// Physical interrupts. The hypervisor runs with interrupts masked; they are
// taken as exits while a zone runs (HCR_EL2.IMO) or polled when idle.
#include "host_irq.hpp"
#include "gic.hpp"
#include "passthrough.hpp"
#include "platform.hpp"
#include "psci_host.hpp"
#include "vgic.hpp"

#include <arch/sysreg.hpp>
#include <bulkhead/arch_interface.hpp>

namespace bh::arch {
void timer_fired();
}

namespace bh::aarch64 {

void handle_host_interrupts() {
    PerCpu& c = arch::this_cpu();
    do {
        u32 intid = gic_acknowledge();
        if (intid >= 1020) break;
        // The control domain's device: left active, the zone ends it.
        if (passthrough_interrupt(intid)) continue;
        // The hypervisor's tick or a kick: the scheduler decides. A poke, a
        // zone's timer PPI or a maintenance interrupt only make the loaded
        // vCPU's interrupts reach its list registers, which the end of every
        // exit does anyway; a device's input wakes whom it concerns itself.
        if (intid == kPpiHypTimer || intid == kSgiKick) c.need_resched = true;
        switch (intid) {
        case kPpiHypTimer:
            arch::timer_fired(); // the scheduler decides what the tick means
            break;
        case kPpiVirtTimer:
        case kPpiPhysTimer:
            // The loaded vCPU's: it stays active, handed to the vCPU
            // (vgic.cpp). With none loaded (cannot happen: saving stops the
            // timers), it is silenced.
            if (c.current) {
                gic_priority_drop(intid);
                vgic_timer_fired(*c.current, intid == kPpiVirtTimer ? 0 : 1);
                continue;
            }
            if (intid == kPpiVirtTimer)
                BH_WRITE_SYSREG(cntv_ctl_el0, 0);
            else
                BH_WRITE_SYSREG(cntp_ctl_el0, 0);
            break;
        case kPpiMaintenance: vgic_maintenance(); break;
        default: // kSgiKick, kSgiPoke: the exit itself is the point
            if (intid == platform().uart_intid) console_input_interrupt();
            break;
        }
        gic_end(intid);
    } while (gic_irq_pending());
}

} // namespace bh::aarch64

namespace bh::arch {

void idle_wait() {
    asm volatile("dsb sy; wfi" ::: "memory");
    aarch64::handle_host_interrupts();
}

void poke_cpu(unsigned index) { aarch64::gic_send_sgi(aarch64::kSgiPoke, cpu(index).hw_id); }
void kick_cpu(unsigned index) { aarch64::gic_send_sgi(aarch64::kSgiKick, cpu(index).hw_id); }

void power_off() {
    aarch64::smc_call(aarch64::kPsciSystemOff);
    halt_machine();
}

void halt_machine() {
    for (;;) asm volatile("msr daifset, #0xf; wfi" ::: "memory");
}

} // namespace bh::arch
