// SPDX-License-Identifier: GPL-2.0-only
// The arch interface's vCPU operations on x86-64. The virtualization back
// end (SVM or VMX, backend.hpp) owns the control block and the run; what is
// common is here: FP state, and the local APIC's part in blocking and waking.
#include "backend.hpp"
#include "timer.hpp"

#include <arch/x86.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/zone.hpp>

namespace bh::arch {

void vcpu_reset(Vcpu& v, GuestPhys entry, u64 arg) {
    v.ctx.lapic.reset(v.index, v.index == 0, ticks_per_second() / 5000); // periodic timers: 200 us at least
    v.ctx.irq_window = false;
    v.ctx.wait_for_sipi = false;
    x86_64::backend().vcpu_reset(v, entry, arg);
}

// FXSAVE/FXRSTOR: x87 and SSE state (CPUID hides XSAVE and AVX from zones).
void vcpu_load(Vcpu& v) {
    asm volatile("fxrstor64 %0" ::"m"(v.ctx.fx));
    x86_64::backend().vcpu_load(v);
}
void vcpu_save(Vcpu& v) {
    asm volatile("fxsave64 %0" : "=m"(v.ctx.fx));
    x86_64::backend().vcpu_save(v);
    x86_64::timer_set_guest_deadline(0); // a blocked vCPU's timer goes on the sleeper list instead
    v.ctx.armed_deadline = 0;
}

// HLT resumes for an interrupt the vCPU would take: enabled (RFLAGS.IF,
// as after "sti; hlt") and above its processor priority.
bool vcpu_has_pending_interrupt(const Vcpu& v) {
    return (v.ctx.regs.rflags & x86::kRflagsIf) && v.ctx.lapic.deliverable() >= 0;
}
u64 vcpu_timer_deadline(const Vcpu& v) { return v.ctx.lapic.timer_deadline(); }
void vcpu_timer_expired(Vcpu& v) { v.ctx.lapic.timer_check(now()); }

// Fault policy "abort" on x86: a general-protection fault at the faulting
// instruction (RIP unchanged). There is no architectural "bus error" a
// guest expects from a load (#MC is machine-fatal for a guest kernel).
void vcpu_inject_external_abort(Vcpu& v, u64, bool, bool) { x86_64::backend().inject_gp(v); }

} // namespace bh::arch
