// SPDX-License-Identifier: GPL-2.0-only
// The arch interface's vCPU operations on x86-64. The virtualization back
// end (SVM or VMX, backend.hpp) owns the control block and the run; what is
// common is here: the reset of everything outside the control block, the
// state no control block switches (FP, DR0-DR3, TSC_AUX), and the local
// APIC's part in blocking and waking.
#include "backend.hpp"
#include "debug_regs.hpp"
#include "timer.hpp"
#include "tsc_aux.hpp"
#include "vcpu_reset.hpp"

#include <arch/x86.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/zone.hpp>

namespace bh::x86_64 {

namespace {
Atomic<u64> next_tlb_tag{1};
constexpr u16 kFcwReset = 0x37f;           // FNINIT's control word
constexpr u32 kMxcsrReset = 0x1f80;        // all SSE exceptions masked
constexpr usize kFxFcw = 0, kFxMxcsr = 24; // offsets in the FXSAVE image
} // namespace

u64 new_tlb_tag() { return next_tlb_tag.fetch_add(1, MemoryOrder::relaxed); }

void reset_vcpu_state(Vcpu& v, GuestPhys entry, u64 arg) {
    arch::VcpuContext& ctx = v.ctx;
    ctx.regs = arch::GuestRegs{};
    ctx.regs.rip = entry.raw();
    ctx.regs.rflags = x86::kRflagsFixed;
    ctx.regs.rdi = arg;
    ctx.regs.rsp = v.zone->arch.boot_tables.raw(); // the stack grows down from below the tables
    __builtin_memset(&ctx.fx, 0, sizeof ctx.fx);
    __builtin_memcpy(ctx.fx.bytes + kFxFcw, &kFcwReset, sizeof kFcwReset);
    __builtin_memcpy(ctx.fx.bytes + kFxMxcsr, &kMxcsrReset, sizeof kMxcsrReset);
    debug_regs_reset(ctx);
    ctx.tsc_aux = 0;
    ctx.lapic.reset(v.index, v.index == 0, arch::ticks_per_second() / 5000); // periodic timers: 200 us at least
    ctx.irq_window = false;
    ctx.offered_vector = -1;
    ctx.redeliver_vector = -1;
    ctx.wait_for_sipi = false;
    ctx.tlb_tag.store(new_tlb_tag());
}

} // namespace bh::x86_64

namespace bh::arch {

void vcpu_reset(Vcpu& v, GuestPhys entry, u64 arg) {
    x86_64::reset_vcpu_state(v, entry, arg);
    x86_64::backend().vcpu_reset(v, entry, arg);
}

// FXSAVE/FXRSTOR: x87 and SSE state. CPUID hides XSAVE and AVX from zones
// and CR4.OSXSAVE is refused (cr4_policy.hpp), so no other FP state exists
// in a zone, and XCR0 keeps its reset value (x87 only) on every CPU.
void vcpu_load(Vcpu& v) {
    asm volatile("fxrstor64 %0" ::"m"(v.ctx.fx));
    x86_64::debug_regs_load(v.ctx);
    x86_64::tsc_aux_load(v);
    x86_64::backend().vcpu_load(v);
}
void vcpu_save(Vcpu& v) {
    asm volatile("fxsave64 %0" : "=m"(v.ctx.fx));
    x86_64::debug_regs_save(v.ctx);
    x86_64::backend().vcpu_save(v);
    x86_64::timer_set_guest_deadline(0); // a blocked vCPU's timer goes on the sleeper list instead
    v.ctx.armed_deadline = 0;
}

// HLT resumes for an interrupt the vCPU would take: enabled (RFLAGS.IF,
// as after "sti; hlt") and above its processor priority, or one taken
// whose delivery an exit cut short (SVM).
bool vcpu_has_pending_interrupt(const Vcpu& v) {
    return (v.ctx.regs.rflags & x86::kRflagsIf) && (v.ctx.redeliver_vector >= 0 || v.ctx.lapic.deliverable() >= 0);
}
u64 vcpu_timer_deadline(const Vcpu& v) { return v.ctx.lapic.timer_deadline(); }
void vcpu_timer_expired(Vcpu& v) { v.ctx.lapic.timer_check(now()); }

// Fault policy "abort" on x86: a general-protection fault at the faulting
// instruction (RIP unchanged). There is no architectural "bus error" a
// guest expects from a load (#MC is machine-fatal for a guest kernel).
void vcpu_inject_external_abort(Vcpu& v, u64, bool, bool) { x86_64::backend().inject_gp(v); }

} // namespace bh::arch
