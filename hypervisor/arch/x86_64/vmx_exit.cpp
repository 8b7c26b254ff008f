// SPDX-License-Identifier: GPL-2.0-only
// VMX exits: decode the exit reason and qualification, hand the event to
// the same handlers as SVM's exits. Short and allocation-free.
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
    kExitException = 0, kExitExternalInterrupt = 1, kExitTripleFault = 2, kExitInit = 3, kExitSipi = 4,
    kExitInterruptWindow = 7,
    kExitTaskSwitch = 9, kExitCpuid = 10, kExitGetsec = 11, kExitHlt = 12, kExitInvd = 13, kExitVmcall = 18,
    kExitVmclear = 19, kExitVmlaunch = 20, kExitVmptrld = 21, kExitVmptrst = 22, kExitVmread = 23,
    kExitVmresume = 24, kExitVmwrite = 25, kExitVmxoff = 26, kExitVmxon = 27, kExitCrAccess = 28,
    kExitIo = 30, kExitRdmsr = 31, kExitWrmsr = 32, kExitMwait = 36, kExitMonitor = 39, kExitEptViolation = 48,
    kExitEptMisconfig = 49, kExitInvept = 50, kExitRdtscp = 51, kExitPreemptionTimer = 52, kExitInvvpid = 53, kExitXsetbv = 55,
    kExitRdrand = 57, kExitInvpcid = 58, kExitVmfunc = 59, kExitRdseed = 61,
};

void skip(Vcpu& v) { v.ctx.regs.rip += read(kExitInstructionLength); }

void cpuid(Vcpu& v) {
    arch::GuestRegs& r = v.ctx.regs;
    x86::CpuidResult c = cpuid_for_zone(v, static_cast<u32>(r.rax), static_cast<u32>(r.rcx), HypercallInsn::vmcall);
    r.rax = c.eax;
    r.rbx = c.ebx;
    r.rcx = c.ecx;
    r.rdx = c.edx;
    skip(v);
}

// Qualification: bits 2:0 size - 1, bit 3 IN, bit 4 string, bits 31:16 port.
void io(Vcpu& v) {
    u64 q = read(kExitQualification);
    u16 port = static_cast<u16>(q >> 16);
    if (q & (1u << 4)) {
        log("zone '%s' vcpu %u: string I/O at port %#x is not emulated: injecting #GP(0)", v.zone->name, v.index, port);
        inject_gp(v);
        return;
    }
    port_io(v, port, static_cast<u8>((q & 7) + 1), !(q & (1u << 3)));
    skip(v);
}

void msr(Vcpu& v, bool write_access) {
    arch::GuestRegs& r = v.ctx.regs;
    u32 index = static_cast<u32>(r.rcx);
    u64 value = (r.rdx << 32) | (r.rax & 0xffffffff);
    bool ok = true;
    u64 result = 0;
    switch (classify_msr(index, write_access)) {
    case MsrKind::efer:
        if (write_access) {
            ok = efer_write_valid(value);
            if (ok) write(kGuestEfer, (value & ~x86::kEferLma) | (read(kGuestEfer) & x86::kEferLma));
        } else {
            result = read(kGuestEfer);
        }
        break;
    case MsrKind::pat:
        if (write_access) {
            ok = pat_valid(value);
            if (ok) write(kGuestPat, value);
        } else {
            result = read(kGuestPat);
        }
        break;
    case MsrKind::tsc: result = x86::rdtsc() + read(kTscOffset); break;
    case MsrKind::lapic: ok = lapic_msr(v, index, write_access, value, result); break;
    case MsrKind::refused: ok = false; break;
    }
    if (!ok) {
        log_refused_msr(v, index, write_access, value);
        inject_gp(v);
        return;
    }
    if (!write_access) {
        r.rax = result & 0xffffffff;
        r.rdx = result >> 32;
    }
    skip(v);
}

// Only CR4 writes exit (the VMXE bit is owned by the host): the zone's
// value goes to the read shadow, the real CR4 keeps VMXE.
void cr_access(Vcpu& v) {
    u64 q = read(kExitQualification);
    unsigned cr = q & 15, type = (q >> 4) & 3, gpr = (q >> 8) & 15;
    if (cr != 4 || type != 0) {
        zone_end(*v.zone, ZoneState::crashed, BH_EXIT_BAD_STATE, q, "unexpected control-register exit");
        return;
    }
    const u64* regs = &v.ctx.regs.rax;
    u64 value = gpr == 4 ? read(kGuestRsp) : regs[gpr];
    if (value & x86::kCr4Vmxe) {
        inject_gp(v); // nested VMX is not offered
        return;
    }
    write(kCr4Shadow, value);
    write(kGuestCr4, value | x86::kCr4Vmxe);
    skip(v);
}

// Qualification bit 0 read, 1 write, 2 fetch; bit 7: the linear address is
// valid. The zone's xAPIC page is emulated; anything else is an illegal
// access and goes to the fault policy.
void ept_violation(Vcpu& v) {
    u64 q = read(kExitQualification);
    GuestPhys gpa(read(kGuestPhysicalAddress));
    if (!(q & 4) && mmio_claims(v, gpa)) {
        constexpr u64 kArLong = 1u << 13;
        GuestCpuMode mode{{read(kGuestCr0), read(kGuestCr3), read(kGuestCr4), read(kGuestEfer)},
                          (read(kGuestCsAr) & kArLong) != 0};
        if (mmio_emulate(v, mode, gpa, (q & 2) != 0)) return;
    }
    u64 va = (q & (1u << 7)) ? read(kGuestLinearAddress) : 0;
    GuestFault f{gpa, va, v.ctx.regs.rip, (q & 2) != 0, (q & 4) != 0};
    if ((q & (1u << 7)) && !(q & (1u << 8))) f.what = "in the zone's own page-table walk";
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
    u32 reason = raw & 0xffff;
    if (raw & (1u << 31)) {
        crash(v, reason, "VM entry refused the guest state");
        return;
    }
    switch (reason) {
    case kExitExternalInterrupt: x86::irq_poll(); return;
    case kExitException: return; // only NMIs exit (the exception bitmap is empty): the host ignores them
    case kExitPreemptionTimer: sched::request_reschedule(); return; // a slice or a deadline is due
    case kExitInit: case kExitSipi: return;
    case kExitInterruptWindow: return; // the zone can take an interrupt now: the next entry injects it
    case kExitCpuid: cpuid(v); return;
    case kExitHlt:
        skip(v);
        // "sti; hlt" leaves STI blocking set; past the HLT it is over, and
        // an interrupt that wakes the vCPU must not wait one more window.
        write(kGuestInterruptibility, read(kGuestInterruptibility) & ~u64(3));
        sched::block_current();
        return;
    case kExitVmcall:
        skip(v);
        hypercall(v);
        return;
    case kExitIo: io(v); return;
    case kExitRdmsr: msr(v, false); return;
    case kExitWrmsr: msr(v, true); return;
    case kExitCrAccess: cr_access(v); return;
    case kExitEptViolation: ept_violation(v); return;
    case kExitInvd: skip(v); return;
    case kExitGetsec: case kExitVmclear: case kExitVmlaunch: case kExitVmptrld: case kExitVmptrst:
    case kExitVmread: case kExitVmresume: case kExitVmwrite: case kExitVmxoff: case kExitVmxon:
    case kExitMwait: case kExitMonitor: case kExitInvept: case kExitInvvpid: case kExitXsetbv:
    case kExitRdrand: case kExitRdseed: case kExitInvpcid: case kExitVmfunc: case kExitRdtscp:
        inject_ud(v); // CPUID hides these features, or VMX offers none to zones
        return;
    case kExitTripleFault: crash(v, reason, "triple fault"); return;
    case kExitTaskSwitch: crash(v, reason, "task switch"); return;
    case kExitEptMisconfig: crash(v, reason, "EPT misconfiguration"); return;
    default: crash(v, reason, "unhandled exit"); return;
    }
}

} // namespace bh::x86_64::vmx
