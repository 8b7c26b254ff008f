// SPDX-License-Identifier: GPL-2.0-only
// SVM exits: decode the VMCB's exit code and information, hand the event to
// its handler. Short and allocation-free; the scheduler runs afterwards.
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
// (NRIPS), else the length of the only encoding zones use.
// Past the instruction, the STI or MOV SS shadow it was in has ended.
void skip(Vcpu& v, Vmcb& vm, u64 length) {
    v.ctx.regs.rip = next_rip_saved() && vm.control.next_rip ? vm.control.next_rip : v.ctx.regs.rip + length;
    vm.control.interrupt_shadow = 0;
}

void cpuid(Vcpu& v, Vmcb& vm) {
    arch::GuestRegs& r = v.ctx.regs;
    x86::CpuidResult c = cpuid_for_zone(v, static_cast<u32>(r.rax), static_cast<u32>(r.rcx), HypercallInsn::vmmcall);
    r.rax = c.eax;
    r.rbx = c.ebx;
    r.rcx = c.ecx;
    r.rdx = c.edx;
    skip(v, vm, 2);
}

// EXITINFO1: bit 0 IN, bit 2 string, bit 3 REP, bits 6:4 operand size one-hot,
// bits 31:16 port. EXITINFO2: the next RIP.
void ioio(Vcpu& v, Vmcb& vm) {
    u64 info = vm.control.exitinfo1;
    u16 port = static_cast<u16>(info >> 16);
    bool in = info & 1;
    if (info & (1u << 2)) {
        log("zone '%s' vcpu %u: string I/O at port %#x is not emulated: injecting #GP(0)", v.zone->name, v.index, port);
        inject_gp(v);
        return;
    }
    u8 size = (info & (1u << 4)) ? 1 : (info & (1u << 5)) ? 2 : 4;
    port_io(v, port, size, !in);
    v.ctx.regs.rip = vm.control.exitinfo2;
    vm.control.interrupt_shadow = 0;
}

void msr(Vcpu& v, Vmcb& vm) {
    arch::GuestRegs& r = v.ctx.regs;
    bool write = vm.control.exitinfo1 & 1;
    u32 index = static_cast<u32>(r.rcx);
    u64 value = (r.rdx << 32) | (r.rax & 0xffffffff);
    MsrKind kind = classify_msr(index, write);
    bool ok = true;
    u64 result = 0;
    switch (kind) {
    case MsrKind::efer:
        if (write) {
            ok = efer_write_valid(value);
            // SVME stays set in the VMCB (VMRUN requires it) and hidden from the zone.
            if (ok) vm.save.efer = (value & ~x86::kEferLma) | (vm.save.efer & x86::kEferLma) | x86::kEferSvme;
        } else {
            result = vm.save.efer & ~x86::kEferSvme;
        }
        break;
    case MsrKind::pat:
        if (write) {
            ok = pat_valid(value);
            if (ok) vm.save.g_pat = value;
        } else {
            result = vm.save.g_pat;
        }
        break;
    case MsrKind::tsc: result = x86::rdtsc() + vm.control.tsc_offset; break;
    case MsrKind::lapic: ok = lapic_msr(v, index, write, value, result); break;
    case MsrKind::refused: ok = false; break;
    }
    if (!ok) {
        log_refused_msr(v, index, write, value);
        inject_gp(v);
        return;
    }
    if (!write) {
        r.rax = result & 0xffffffff;
        r.rdx = result >> 32;
    }
    skip(v, vm, 2);
}

// EXITINFO1: the #PF-style error code (bit 0 present, 1 write, 4 fetch);
// EXITINFO2: the guest-physical address. The zone's xAPIC page is
// emulated; every other nested fault is an illegal access and goes to the
// fault policy. SVM does not report the guest-virtual address.
void nested_fault(Vcpu& v, Vmcb& vm) {
    u64 err = vm.control.exitinfo1;
    GuestPhys gpa(vm.control.exitinfo2);
    bool write = err & 2, fetch = err & 16;
    if (!fetch && mmio_claims(v, gpa)) {
        const VmcbSave& s = vm.save;
        GuestCpuMode mode{{s.cr0, s.cr3, s.cr4, s.efer}, ((s.cs.attrib >> 9) & 1) != 0};
        if (mmio_emulate(v, mode, gpa, write)) {
            vm.control.interrupt_shadow = 0;
            return;
        }
    }
    GuestFault f{gpa, 0, v.ctx.regs.rip, write, fetch};
    if (err & (u64(1) << 33)) f.what = "in the zone's own page-table walk";
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
    switch (vm.control.exitcode) {
    case kExitIntr:
        x86::irq_poll(); // take the interrupt that caused the exit
        return;
    case kExitNmi: case kExitSmi: case kExitInit:
        return; // the host handles it once GIF is set again
    case kExitVintr: return; // the zone can take an interrupt now: the next entry injects it
    case kExitCpuid: cpuid(v, vm); return;
    case kExitHlt:
        skip(v, vm, 1);
        sched::block_current();
        return;
    case kExitVmmcall:
        skip(v, vm, 3);
        hypercall(v);
        return;
    case kExitIoio: ioio(v, vm); return;
    case kExitMsr: msr(v, vm); return;
    case kExitNpf: nested_fault(v, vm); return;
    case kExitInvd: skip(v, vm, 2); return; // dropping dirty lines would corrupt others: a no-op
    case kExitVmrun: case kExitVmload: case kExitVmsave: case kExitStgi: case kExitClgi: case kExitSkinit:
    case kExitInvlpga: case kExitMonitor: case kExitMwait: case kExitMwaitCond: case kExitXsetbv: case kExitRdpru:
        inject_ud(v); // CPUID hides these features
        return;
    case kExitShutdown: crash(v, vm, "triple fault"); return;
    case kExitTaskSwitch: crash(v, vm, "task switch"); return;
    case kExitInvalid: crash(v, vm, "VMRUN refused the guest state"); return;
    default: crash(v, vm, "unhandled exit"); return;
    }
}

} // namespace bh::x86_64::svm
