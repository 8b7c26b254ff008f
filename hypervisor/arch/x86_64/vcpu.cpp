// SPDX-License-Identifier: GPL-2.0-only
// The arch interface's vCPU operations on x86-64. The virtualization back
// end (SVM or VMX, backend.hpp) owns the control block and the run; what is
// common is here: FP state, and that zones have no virtual interrupt
// controller or timer yet, so a halted vCPU only wakes when its zone ends.
#include "backend.hpp"

#include <arch/x86.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/zone.hpp>

namespace bh::arch {

void vcpu_reset(Vcpu& v, GuestPhys entry, u64 arg) { x86_64::backend().vcpu_reset(v, entry, arg); }

// FXSAVE/FXRSTOR: x87 and SSE state (CPUID hides XSAVE and AVX from zones).
void vcpu_load(Vcpu& v) {
    asm volatile("fxrstor64 %0" ::"m"(v.ctx.fx));
    x86_64::backend().vcpu_load(v);
}
void vcpu_save(Vcpu& v) {
    asm volatile("fxsave64 %0" : "=m"(v.ctx.fx));
    x86_64::backend().vcpu_save(v);
}

bool vcpu_has_pending_interrupt(const Vcpu&) { return false; }
u64 vcpu_timer_deadline(const Vcpu&) { return 0; }
void vcpu_timer_expired(Vcpu&) {}

// Fault policy "abort" on x86: a general-protection fault at the faulting
// instruction (RIP unchanged). There is no architectural "bus error" a
// guest expects from a load (#MC is machine-fatal for a guest kernel).
void vcpu_inject_external_abort(Vcpu& v, u64, bool, bool) { x86_64::backend().inject_gp(v); }

} // namespace bh::arch
