// SPDX-License-Identifier: GPL-2.0-only
// SVM exits: decode the VMCB's exit code and information, hand the event to
// its handler. Short and allocation-free; the scheduler runs afterwards.
#include "cr4_policy.hpp"
#include "cr_insn.hpp"
#include "debug_regs.hpp"
#include "exit_common.hpp"
#include "mmio_emulate.hpp"
#include "svm.hpp"
#include "vcpu_interrupts.hpp"
#include "vmcb.hpp"

#include <arch/x86.hpp>
#include <bulkhead/guest_fault.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh::x86_64::svm {
namespace {

using ull = unsigned long long;

// Past the intercepted instruction: the CPU's next RIP where it saves one
// (NRIPS), else `length` (the only encoding zones use, or the decoded one).
// Past the instruction, the STI or MOV SS shadow it was in has ended.
void skip(Vcpu& v, Vmcb& vm, u64 length) {
    v.ctx.regs.rip = next_rip_saved() && vm.control.next_rip ? vm.control.next_rip : v.ctx.regs.rip + length;
    vm.control.interrupt_shadow = 0;
}

void finish(Vcpu& v, Vmcb& vm, Emulation e, u64 length) {
    if (e == Emulation::completed) skip(v, vm, length);
}

// Past an instruction whose length is known (decoded, or from the decode
// assists' next RIP).
void advance(Vcpu& v, Vmcb& vm, u64 length) {
    v.ctx.regs.rip += length;
    vm.control.interrupt_shadow = 0;
}

GuestCpuMode cpu_mode(const Vmcb& vm) {
    const VmcbSave& s = vm.save;
    bool code64 = (s.efer & x86::kEferLma) && (s.cs.attrib & kAttrLong);
    return {{s.cr0, s.cr3, s.cr4, s.efer}, code64, s.cs.base};
}

// EXITINFO1: bit 0 IN, bit 2 string, bits 6:4 operand size one-hot,
// bits 31:16 port. EXITINFO2: the next RIP.
void ioio(Vcpu& v, Vmcb& vm) {
    IoioInfo info{vm.control.exitinfo1};
    if (info.string()) {
        if (v.zone->arch.ports_logged.sample())
            zone_log(*v.zone, "zone '%s' vcpu %u: string I/O at port %#x is not emulated: injecting #GP(0)",
                     v.zone->name, v.index, info.port());
        inject_gp(v);
        return;
    }
    port_io(v, info.port(), info.size(), !info.in());
    v.ctx.regs.rip = vm.control.exitinfo2;
    vm.control.interrupt_shadow = 0;
}

// The source register and length of the MOV to CR that exited: from the
// decode assists where the CPU has them, else from the instruction itself.
bool decode_cr_write(Vcpu& v, const Vmcb& vm, unsigned cr, MovToCr& m) {
    CrWriteInfo info{vm.control.exitinfo1};
    if (decode_assists() && next_rip_saved() && info.mov() && vm.control.next_rip > v.ctx.regs.rip) {
        m = {static_cast<u8>(cr), info.gpr(), static_cast<u8>(vm.control.next_rip - v.ctx.regs.rip)};
        return true;
    }
    u8 bytes[kMaxInsnLength];
    GuestCpuMode mode = cpu_mode(vm);
    usize got = fetch_insn(v, mode, bytes);
    return decode_mov_to_cr(bytes, got, m, mode.code64) == DecodeStatus::ok && m.cr == cr;
}

// The instruction that exited is not what the exit says (another vCPU of
// the zone rewrote it, or its page went away): #UD, the zone's own problem.
void undecodable(Vcpu& v, const char* what) {
    Zone& z = *v.zone;
    if (z.faults_logged.sample())
        zone_log(z, "zone '%s' vcpu %u: %s at RIP %#llx could not be decoded: injecting #UD", z.name, v.index, what,
                 static_cast<ull>(v.ctx.regs.rip));
    inject_ud(v);
}

u64 source_value(const Vcpu& v, const Vmcb& vm, u8 gpr) {
    u64 value = (&v.ctx.regs.rax)[gpr]; // GuestRegs is in encoding order; RSP is copied from the VMCB
    return cpu_mode(vm).code64 ? value : value & 0xffffffff;
}

// CR4 writes are emulated so that the enables of hidden features can be
// refused; what the instruction would have flushed is flushed.
void write_cr4(Vcpu& v, Vmcb& vm) {
    MovToCr m;
    if (!decode_cr_write(v, vm, 4, m)) return undecodable(v, "MOV to CR4");
    VmcbSave& s = vm.save;
    Cr4Write w{source_value(v, vm, m.gpr), s.cr4, zone_cr4_supported(), s.cr3, (s.efer & x86::kEferLma) != 0};
    if (!cr4_write_allowed(w)) {
        inject_gp(v);
        return;
    }
    if (w.value != s.cr4) flush_guest_tlb(v);
    s.cr4 = w.value;
    advance(v, vm, m.length);
}

// CR8 writes exit only while an interrupt waits for the task priority.
void write_cr8_exit(Vcpu& v, Vmcb& vm) {
    MovToCr m;
    if (!decode_cr_write(v, vm, 8, m)) return undecodable(v, "MOV to CR8");
    if (write_cr8(v, source_value(v, vm, m.gpr)) == Emulation::completed) advance(v, vm, m.length);
}

// EXITINFO2: the guest-physical address. The zone's xAPIC page is
// emulated; every other nested fault is an illegal access and goes to the
// fault policy. SVM does not report the guest-virtual address.
void nested_fault(Vcpu& v, Vmcb& vm) {
    NpfInfo err{vm.control.exitinfo1};
    GuestPhys gpa(vm.control.exitinfo2);
    if (!err.fetch() && mmio_claims(v, gpa)) {
        if (mmio_emulate(v, cpu_mode(vm), gpa, err.write())) {
            vm.control.interrupt_shadow = 0;
            return;
        }
    }
    GuestFault f{gpa, 0, v.ctx.regs.rip, err.write(), err.fetch()};
    if (err.in_table_walk()) f.what = "in the zone's own page-table walk";
    handle_guest_fault(v, f);
}

void crash(Vcpu& v, const Vmcb& vm, const char* what) {
    char why[112];
    format(why, sizeof why, "%s (exit %#llx, info %#llx/%#llx) at RIP %#llx", what,
           static_cast<ull>(vm.control.exitcode), static_cast<ull>(vm.control.exitinfo1),
           static_cast<ull>(vm.control.exitinfo2), static_cast<ull>(v.ctx.regs.rip));
    zone_end(*v.zone, ZoneState::crashed, BH_EXIT_BAD_STATE, vm.control.exitcode, why);
}

} // namespace

void handle_exit(Vcpu& v, Vmcb& vm) {
    u64 code = vm.control.exitcode;
    if (code >= kExitDrReadBase && code <= kExitDrWriteLast) {
        debug_regs_make_live(v); // the next entry drops the intercept; the MOV DR runs again
        return;
    }
    switch (code) {
    case kExitIntr:
        x86::irq_poll(); // take the interrupt that caused the exit
        return;
    case kExitNmi:
    case kExitSmi:
    case kExitInit: return; // the host handles it once GIF is set again
    case kExitCpuid: finish(v, vm, cpuid(v), 2); return;
    case kExitHlt:
        skip(v, vm, 1);
        sched::block_current();
        return;
    case kExitVmmcall:
        skip(v, vm, 3);
        hypercall(v, vm.save.cpl);
        return;
    case kExitIoio: ioio(v, vm); return;
    case kExitMsr: finish(v, vm, msr_access(v, vm.control.exitinfo1 & 1), 2); return;
    case kExitCr4Write: write_cr4(v, vm); return;
    case kExitCr8Write: write_cr8_exit(v, vm); return;
    case kExitRdpmc: finish(v, vm, rdpmc(v), 2); return;
    case kExitNpf: nested_fault(v, vm); return;
    case kExitInvd: skip(v, vm, 2); return; // dropping dirty lines would corrupt others: a no-op
    case kExitVmrun:
    case kExitVmload:
    case kExitVmsave:
    case kExitStgi:
    case kExitClgi:
    case kExitSkinit:
    case kExitInvlpga:
    case kExitMonitor:
    case kExitMwait:
    case kExitMwaitCond:
    case kExitXsetbv:
    case kExitRdpru:
        inject_ud(v); // CPUID hides these features
        return;
    case kExitShutdown: crash(v, vm, "triple fault"); return;
    case kExitTaskSwitch: crash(v, vm, "task switch"); return;
    case kExitInvalid: crash(v, vm, "VMRUN refused the guest state"); return;
    default: crash(v, vm, "unhandled exit"); return;
    }
}

} // namespace bh::x86_64::svm
