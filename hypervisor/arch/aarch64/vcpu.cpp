// SPDX-License-Identifier: GPL-2.0-only
// Resetting, loading and saving a vCPU's EL1 state (its timers' deadlines:
// vtimer.cpp; exceptions it is made to take: inject.cpp).
#include "cpu_features.hpp"
#include "debug_regs.hpp"
#include "pauth.hpp"
#include "pstate.hpp"
#include "stage2_idle.hpp"
#include "vgic.hpp"

#include <arch/sysreg.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/zone.hpp>

extern "C" void fp_state_save(bh::arch::FpRegs*);
extern "C" void fp_state_load(const bh::arch::FpRegs*);

namespace bh::arch {
namespace {

constexpr u64 kPstateEl1hMasked = aarch64::pstate::kEl1hMasked;
constexpr u64 kSctlrEl1Reset = 0x30d00800; // RES1 bits, MMU and caches off

} // namespace

void vcpu_reset(Vcpu& v, GuestPhys entry, u64 arg) {
    VcpuContext& c = v.ctx;
    c = VcpuContext{};
    c.regs.x[0] = arg;
    c.regs.pc = entry.raw();
    c.regs.pstate = kPstateEl1hMasked;
    c.el1.sctlr = kSctlrEl1Reset;
    c.el1.vmpidr = (1ull << 31) | v.index; // Aff0 = vCPU index
    aarch64::vgic_vcpu_reset(v);
    aarch64::pauth_reset(v);
    aarch64::debug_reset(v);
}

void vcpu_load(Vcpu& v) {
    const El1Sysregs& s = v.ctx.el1;
    const Zone& z = *v.zone;
    BH_WRITE_SYSREG(vttbr_el2, (u64(z.arch.vmid) << 48) | z.stage2.root().raw());
    BH_WRITE_SYSREG(cntvoff_el2, z.arch.cntvoff);
    BH_WRITE_SYSREG(vmpidr_el2, s.vmpidr);
    BH_WRITE_SYSREG(sctlr_el1, s.sctlr);
    BH_WRITE_SYSREG(actlr_el1, s.actlr);
    BH_WRITE_SYSREG(cpacr_el1, s.cpacr);
    BH_WRITE_SYSREG(ttbr0_el1, s.ttbr0);
    BH_WRITE_SYSREG(ttbr1_el1, s.ttbr1);
    BH_WRITE_SYSREG(tcr_el1, s.tcr);
    BH_WRITE_SYSREG(mair_el1, s.mair);
    BH_WRITE_SYSREG(amair_el1, s.amair);
    BH_WRITE_SYSREG(vbar_el1, s.vbar);
    BH_WRITE_SYSREG(contextidr_el1, s.contextidr);
    BH_WRITE_SYSREG(tpidr_el0, s.tpidr_el0);
    BH_WRITE_SYSREG(tpidrro_el0, s.tpidrro_el0);
    BH_WRITE_SYSREG(tpidr_el1, s.tpidr_el1);
    BH_WRITE_SYSREG(sp_el0, s.sp_el0);
    BH_WRITE_SYSREG(sp_el1, s.sp_el1);
    BH_WRITE_SYSREG(elr_el1, s.elr_el1);
    BH_WRITE_SYSREG(spsr_el1, s.spsr_el1);
    BH_WRITE_SYSREG(esr_el1, s.esr);
    BH_WRITE_SYSREG(far_el1, s.far);
    BH_WRITE_SYSREG(afsr0_el1, s.afsr0);
    BH_WRITE_SYSREG(afsr1_el1, s.afsr1);
    BH_WRITE_SYSREG(par_el1, s.par);
    BH_WRITE_SYSREG(cntkctl_el1, s.cntkctl);
    BH_WRITE_SYSREG(mdscr_el1, s.mdscr);
    BH_WRITE_SYSREG(csselr_el1, s.csselr);
    BH_WRITE_SYSREG(cntv_cval_el0, s.cntv_cval);
    BH_WRITE_SYSREG(cntv_ctl_el0, s.cntv_ctl);
    BH_WRITE_SYSREG(cntp_cval_el0, s.cntp_cval);
    BH_WRITE_SYSREG(cntp_ctl_el0, s.cntp_ctl);
    const aarch64::CpuFeatures& f = aarch64::cpu_features();
    if (f.ras) BH_WRITE_SYSREG(s3_4_c12_c1_1, s.vdisr);  // VDISR_EL2
    if (f.sme) BH_WRITE_SYSREG(s3_3_c13_c0_5, s.tpidr2); // TPIDR2_EL0
    aarch64::debug_load(v);
    aarch64::pauth_load(v);
    fp_state_load(&v.ctx.fp);
    aarch64::vgic_load(v);
    aarch64::isb();
}

void vcpu_save(Vcpu& v) {
    El1Sysregs& s = v.ctx.el1;
    s.sctlr = BH_READ_SYSREG(sctlr_el1);
    s.actlr = BH_READ_SYSREG(actlr_el1);
    s.cpacr = BH_READ_SYSREG(cpacr_el1);
    s.ttbr0 = BH_READ_SYSREG(ttbr0_el1);
    s.ttbr1 = BH_READ_SYSREG(ttbr1_el1);
    s.tcr = BH_READ_SYSREG(tcr_el1);
    s.mair = BH_READ_SYSREG(mair_el1);
    s.amair = BH_READ_SYSREG(amair_el1);
    s.vbar = BH_READ_SYSREG(vbar_el1);
    s.contextidr = BH_READ_SYSREG(contextidr_el1);
    s.tpidr_el0 = BH_READ_SYSREG(tpidr_el0);
    s.tpidrro_el0 = BH_READ_SYSREG(tpidrro_el0);
    s.tpidr_el1 = BH_READ_SYSREG(tpidr_el1);
    s.sp_el0 = BH_READ_SYSREG(sp_el0);
    s.sp_el1 = BH_READ_SYSREG(sp_el1);
    s.elr_el1 = BH_READ_SYSREG(elr_el1);
    s.spsr_el1 = BH_READ_SYSREG(spsr_el1);
    s.esr = BH_READ_SYSREG(esr_el1);
    s.far = BH_READ_SYSREG(far_el1);
    s.afsr0 = BH_READ_SYSREG(afsr0_el1);
    s.afsr1 = BH_READ_SYSREG(afsr1_el1);
    s.par = BH_READ_SYSREG(par_el1);
    s.cntkctl = BH_READ_SYSREG(cntkctl_el1);
    s.mdscr = BH_READ_SYSREG(mdscr_el1);
    s.csselr = BH_READ_SYSREG(csselr_el1);
    s.cntv_ctl = BH_READ_SYSREG(cntv_ctl_el0);
    s.cntv_cval = BH_READ_SYSREG(cntv_cval_el0);
    s.cntp_ctl = BH_READ_SYSREG(cntp_ctl_el0);
    s.cntp_cval = BH_READ_SYSREG(cntp_cval_el0);
    const aarch64::CpuFeatures& f = aarch64::cpu_features();
    if (f.ras) s.vdisr = BH_READ_SYSREG(s3_4_c12_c1_1);
    if (f.sme) s.tpidr2 = BH_READ_SYSREG(s3_3_c13_c0_5);
    // Its timers must not fire for whoever runs next.
    BH_WRITE_SYSREG(cntv_ctl_el0, 0);
    BH_WRITE_SYSREG(cntp_ctl_el0, 0);
    aarch64::pauth_save(v);
    fp_state_save(&v.ctx.fp);
    aarch64::vgic_save(v);
    // Nothing loaded: stage 2 points at no zone's tables, which may be freed
    // before the next vCPU is loaded.
    aarch64::stage2_idle();
}

bool vcpu_has_pending_interrupt(const Vcpu& v) { return aarch64::vgic_has_pending(v); }

} // namespace bh::arch
