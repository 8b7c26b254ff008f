// SPDX-License-Identifier: GPL-2.0-only
// Interrupts and exceptions taken by the hypervisor itself. Interrupts are
// off in the hypervisor except at the poll points (after an exit caused by
// a physical interrupt, and when idle), so the handlers only note what
// happened; the scheduler acts on it at the end of the exit.
#include "asm_defs.h"
#include "console_init.hpp"
#include "descriptors.hpp"
#include "lapic.hpp"
#include "timer.hpp"

#include <arch/x86.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/log.hpp>

namespace bh::x86_64 {

extern "C" void x86_64_interrupt(InterruptFrame* f) {
    constexpr u64 kNmi = 2;
    if (f->vector == kNmi) return; // nothing sends NMIs; must not touch GS (it may be a zone's)
    if (f->vector < 32)
        panic("exception %llu (error %#llx) in the hypervisor at RIP %#llx, RSP %#llx, CR2 %#llx",
              static_cast<unsigned long long>(f->vector), static_cast<unsigned long long>(f->error),
              static_cast<unsigned long long>(f->rip), static_cast<unsigned long long>(f->rsp),
              static_cast<unsigned long long>(x86::read_cr2()));
    PerCpu& c = arch::this_cpu();
    switch (f->vector) {
    case BH_VECTOR_SPURIOUS: return; // no EOI for spurious interrupts
    case BH_VECTOR_TIMER: timer_fired(); break;
    case BH_VECTOR_KICK: break;                       // the interrupt (and the exit it caused) is the point
    case BH_VECTOR_CONSOLE: console_receive(); break; // host console input for the console zone
    case BH_VECTOR_POKE: // only the exit matters: the next entry injects the vCPU's new interrupt
        lapic_eoi();
        return;
    default: log("unexpected interrupt vector %llu", static_cast<unsigned long long>(f->vector)); break;
    }
    c.need_resched = true;
    lapic_eoi();
}

} // namespace bh::x86_64

namespace bh::arch {

void idle_wait() {
    // STI's one-instruction shadow makes "sti; hlt" atomic: an interrupt
    // that became pending while we decided to idle still wakes the HLT.
    asm volatile("sti; hlt; cli" ::: "memory");
}

void poke_cpu(unsigned index) { x86_64::lapic_send_fixed(static_cast<u32>(cpu(index).hw_id), BH_VECTOR_POKE); }
void kick_cpu(unsigned index) { x86_64::lapic_send_fixed(static_cast<u32>(cpu(index).hw_id), BH_VECTOR_KICK); }

} // namespace bh::arch
