// SPDX-License-Identifier: GPL-2.0-only
// Exceptions the hypervisor makes a vCPU take at its EL1: Undefined
// Instruction and synchronous external aborts, exactly as the hardware
// would take them (vector, ESR_EL1, FAR_EL1, ELR_EL1, SPSR_EL1, PSTATE).
#include "cpu_features.hpp"
#include "esr.hpp"
#include "pstate.hpp"

#include <arch/sysreg.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/vcpu.hpp>

namespace bh::aarch64 {
// The vCPU is loaded on this CPU (exits are handled on the vCPU's own CPU).
void inject(Vcpu& v, u64 esr, u64 far, bool set_far);
void inject(Vcpu& v, u64 esr, u64 far, bool set_far) {
    arch::GuestRegs& r = v.ctx.regs;
    const CpuFeatures& f = cpu_features();
    BH_WRITE_SYSREG(esr_el1, esr);
    if (set_far) BH_WRITE_SYSREG(far_el1, far);
    BH_WRITE_SYSREG(elr_el1, r.pc);
    BH_WRITE_SYSREG(spsr_el1, r.pstate);
    r.pc = BH_READ_SYSREG(vbar_el1) + pstate::sync_vector_offset(r.pstate);
    r.pstate = pstate::on_exception_entry(r.pstate, BH_READ_SYSREG(sctlr_el1), {f.pan, f.mte, f.ssbs});
}

void vcpu_inject_undefined(Vcpu& v) { inject(v, esr::make(esr::kEcUnknown, 0), 0, false); }

} // namespace bh::aarch64

namespace bh::arch {

void vcpu_inject_external_abort(Vcpu& v, u64 fault_va, bool write, bool instruction) {
    using namespace aarch64::esr;
    bool from_el0 = (v.ctx.regs.pstate & aarch64::pstate::kModeMask) == aarch64::pstate::kModeEl0t;
    u32 ec = instruction ? (from_el0 ? kEcInstrAbortLower : kEcInstrAbortSame)
                         : (from_el0 ? kEcDataAbortLower : kEcDataAbortSame);
    u32 iss = kFscSyncExternal; // synchronous external abort, not on a table walk
    if (write && !instruction) iss |= kDaWnR;
    aarch64::inject(v, make(ec, iss), fault_va, true);
}

} // namespace bh::arch
