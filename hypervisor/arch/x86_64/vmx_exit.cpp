// SPDX-License-Identifier: GPL-2.0-only
// VMX exits: decode the exit reason and qualification, hand the event to
// the same handlers as SVM's exits. Short and allocation-free.
#include "debug_regs.hpp"
#include "exit_common.hpp"
#include "mmio_emulate.hpp"
#include "vcpu_interrupts.hpp"
#include "vmcs.hpp"
#include "vmx.hpp"

#include <arch/x86.hpp>
#include <bulkhead/guest_fault.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh::x86_64::vmx {
namespace {

using ull = unsigned long long;
using namespace vmcs;

// Basic exit reasons (SDM vol. 3 appendix C).
enum : u32 {
    kExitException = 0,
    kExitExternalInterrupt = 1,
    kExitTripleFault = 2,
    kExitInit = 3,
    kExitSipi = 4,
    kExitInterruptWindow = 7,
    kExitTaskSwitch = 9,
    kExitCpuid = 10,
    kExitGetsec = 11,
    kExitHlt = 12,
    kExitInvd = 13,
    kExitRdpmc = 15,
    kExitVmcall = 18,
    kExitVmclear = 19,
    kExitVmlaunch = 20,
    kExitVmptrld = 21,
    kExitVmptrst = 22,
    kExitVmread = 23,
    kExitVmresume = 24,
    kExitVmwrite = 25,
    kExitVmxoff = 26,
    kExitVmxon = 27,
    kExitCrAccess = 28,
    kExitMovDr = 29,
    kExitIo = 30,
    kExitRdmsr = 31,
    kExitWrmsr = 32,
    kExitMwait = 36,
    kExitMonitor = 39,
    kExitEptViolation = 48,
    kExitEptMisconfig = 49,
    kExitInvept = 50,
    kExitRdtscp = 51,
    kExitPreemptionTimer = 52,
    kExitInvvpid = 53,
    kExitXsetbv = 55,
    kExitRdrand = 57,
    kExitInvpcid = 58,
    kExitVmfunc = 59,
    kExitRdseed = 61,
};
constexpr u32 kExitReasonMask = 0xffff, kExitEntryFailed = 1u << 31;

void skip(Vcpu& v) { v.ctx.regs.rip += read(kExitInstructionLength); }

void finish(Vcpu& v, Emulation e) {
    if (e == Emulation::completed) skip(v);
}

// 64-bit code: EFER.LMA and CS.L. Elsewhere register operands are 32 bits.
bool code64() { return (read(kGuestEfer) & x86::kEferLma) && AccessRights{read(kGuestCsAr)}.long_mode(); }

void io(Vcpu& v) {
    IoQualification q{read(kExitQualification)};
    if (q.string()) {
        if (v.zone->arch.ports_logged.sample())
            zone_log(*v.zone, "zone '%s' vcpu %u: string I/O at port %#x is not emulated: injecting #GP(0)",
                     v.zone->name, v.index, q.port());
        inject_gp(v);
        return;
    }
    port_io(v, q.port(), q.size(), !q.in());
    skip(v);
}

// CR0 writes exit when they touch a bit VMX fixes; CR4 writes exit when they
// would set a host-owned bit; CR8 reads and
// writes always exit (CR8 is the zone's virtual TPR). GuestRegs is in
// encoding order, RSP copied from the VMCS around the run.
void cr_access(Vcpu& v) {
    using Type = CrAccessQualification::Type;
    CrAccessQualification q{read(kExitQualification)};
    u64& reg = (&v.ctx.regs.rax)[q.gpr()];
    u64 value = code64() ? reg : reg & 0xffffffff;
    if (q.cr() == 8 && q.type() == Type::mov_to_cr) return finish(v, write_cr8(v, value));
    if (q.cr() == 8 && q.type() == Type::mov_from_cr) {
        reg = v.ctx.lapic.cr8();
        return skip(v);
    }
    if (q.cr() == 4 && q.type() == Type::mov_to_cr) return finish(v, write_cr4(v, value));
    if (q.cr() == 0 && q.type() == Type::mov_to_cr) return finish(v, write_cr0(v, value));
    zone_end(*v.zone, ZoneState::crashed, BH_EXIT_BAD_STATE, q.raw, "unexpected control-register exit");
}

// The zone's xAPIC page is emulated; anything else is an illegal access
// and goes to the fault policy.
void ept_violation(Vcpu& v) {
    EptViolationQualification q{read(kExitQualification)};
    GuestPhys gpa(read(kGuestPhysicalAddress));
    if (!q.fetch() && mmio_claims(v, gpa)) {
        GuestCpuMode mode{
            {read(kGuestCr0), read(kGuestCr3), read(kGuestCr4), read(kGuestEfer)}, code64(), read(kGuestCsBase)};
        if (mmio_emulate(v, mode, gpa, q.write())) return;
    }
    u64 va = q.linear_valid() ? read(kGuestLinearAddress) : 0;
    GuestFault f{gpa, va, v.ctx.regs.rip, q.write(), q.fetch()};
    if (q.in_table_walk()) f.what = "in the zone's own page-table walk";
    handle_guest_fault(v, f);
}

void crash(Vcpu& v, u32 reason, const char* what) {
    char why[112];
    format(why, sizeof why, "%s (exit reason %u, qualification %#llx) at RIP %#llx", what, reason,
           static_cast<ull>(read(kExitQualification)), static_cast<ull>(v.ctx.regs.rip));
    zone_end(*v.zone, ZoneState::crashed, BH_EXIT_BAD_STATE, reason, why);
}

} // namespace

void handle_exit(Vcpu& v) {
    u32 raw = static_cast<u32>(read(kExitReason));
    u32 reason = raw & kExitReasonMask;
    if (raw & kExitEntryFailed) {
        crash(v, reason, "VM entry refused the guest state");
        return;
    }
    switch (reason) {
    case kExitExternalInterrupt: x86::irq_poll(); return;
    case kExitException: return; // only NMIs exit (the exception bitmap is empty): the host ignores them
    case kExitPreemptionTimer: sched::request_reschedule(); return; // a slice or a deadline is due
    case kExitInit:
    case kExitSipi: return;
    case kExitInterruptWindow: return; // the zone can take an interrupt now: the next entry injects it
    case kExitCpuid: finish(v, cpuid(v)); return;
    case kExitHlt:
        skip(v);
        // "sti; hlt" leaves STI blocking set; past the HLT it is over, and
        // an interrupt that wakes the vCPU must not wait one more window.
        write(kGuestInterruptibility, read(kGuestInterruptibility) & ~(kBlockingSti | kBlockingMovSs));
        sched::block_current();
        return;
    case kExitVmcall:
        skip(v);
        hypercall(v, AccessRights{read(kGuestSsAr)}.dpl()); // the DPL of SS is the CPL
        return;
    case kExitIo: io(v); return;
    case kExitRdmsr: finish(v, msr_access(v, false)); return;
    case kExitWrmsr: finish(v, msr_access(v, true)); return;
    case kExitCrAccess: cr_access(v); return;
    case kExitMovDr: debug_regs_make_live(v); return; // the next entry drops MOV-DR exiting; the MOV runs again
    case kExitRdpmc: finish(v, rdpmc(v)); return;
    case kExitEptViolation: ept_violation(v); return;
    case kExitInvd: skip(v); return;
    case kExitGetsec:
    case kExitVmclear:
    case kExitVmlaunch:
    case kExitVmptrld:
    case kExitVmptrst:
    case kExitVmread:
    case kExitVmresume:
    case kExitVmwrite:
    case kExitVmxoff:
    case kExitVmxon:
    case kExitMwait:
    case kExitMonitor:
    case kExitInvept:
    case kExitInvvpid:
    case kExitXsetbv:
    case kExitRdrand:
    case kExitRdseed:
    case kExitInvpcid:
    case kExitVmfunc:
    case kExitRdtscp:
        inject_ud(v); // CPUID hides these features, or VMX offers none to zones
        return;
    case kExitTripleFault: crash(v, reason, "triple fault"); return;
    case kExitTaskSwitch: crash(v, reason, "task switch"); return;
    case kExitEptMisconfig: crash(v, reason, "EPT misconfiguration"); return;
    default: crash(v, reason, "unhandled exit"); return;
    }
}

} // namespace bh::x86_64::vmx
