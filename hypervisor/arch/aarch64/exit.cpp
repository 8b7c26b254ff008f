// SPDX-License-Identifier: GPL-2.0-only
// Zone exits: decode ESR_EL2, hand the event to its handler, schedule, and
// return to whichever vCPU is current. Short and allocation-free.
#include "asm_defs.h"
#include "esr.hpp"
#include "host_irq.hpp"
#include "id_regs.hpp"
#include "sysreg_trap.hpp"
#include "vgic.hpp"
#include "vpsci.hpp"

#include <arch/sysreg.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/guest_fault.hpp>
#include <bulkhead/hypercall.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh::aarch64 {

void vcpu_inject_undefined(Vcpu& v);

namespace {

using namespace esr;

// The GIC's SGI registers as trapped: op0 3, CRn 12, CRm 11.
bool is_sgi1r(const SysregAccess& a) { return a.is(3, 0, 12, 11, 5); }
bool is_other_sgi(const SysregAccess& a) { return a.is(3, 1, 12, 11, 6) || a.is(3, 2, 12, 11, 7); } // ASGI1R, SGI0R

u64 reg(const Vcpu& v, unsigned n) { return n == 31 ? 0 : v.ctx.regs.x[n]; }
void set_reg(Vcpu& v, unsigned n, u64 val) {
    if (n != 31) v.ctx.regs.x[n] = val;
}
void skip(Vcpu& v) { v.ctx.regs.pc += 4; }

void hypercall(Vcpu& v) {
    u64* x = v.ctx.regs.x;
    u64 fn = x[0] & 0xffffffff;
    if (is_psci_call(fn)) {
        x[0] = static_cast<u64>(handle_psci(v, fn, x[1], x[2], x[3]));
        return;
    }
    HypercallArgs a;
    a.fn = x[0];
    for (unsigned i = 0; i < 6; ++i) a.arg[i] = x[i + 1];
    HypercallResult r = handle_hypercall(v, a);
    if (r.restart) {
        // Back onto the HVC (or SMC, which sync_exit already skipped) with
        // the rest of the work in the argument registers.
        v.ctx.regs.pc -= 4;
        for (unsigned i = 0; i < 6; ++i) x[i + 1] = r.again.arg[i];
        return;
    }
    x[0] = static_cast<u64>(static_cast<long>(r.status));
    for (unsigned i = 0; i < 4; ++i) x[i + 1] = r.ret[i];
}

SysregResult gic_and_id_sysreg(Vcpu& v, SysregAccess& a) {
    if (a.read && is_id_register(a.op0, a.op1, a.crn, a.crm)) {
        a.value = read_id_register_for_zone(a.crm, a.op2);
    } else if (!a.read && is_sgi1r(a)) {
        vgic_sgi_write(v, a.value);
    } else if (is_other_sgi(a) || is_sgi1r(a)) {
        a.value = 0; // group 0 and alias SGIs: zones have group 1 only; writes are ignored
    } else {
        return SysregResult::not_mine;
    }
    return SysregResult::done;
}

void sysreg(Vcpu& v, SysregIss iss) {
    SysregAccess a{iss.op0(), iss.op1(), iss.crn(), iss.crm(), iss.op2(), iss.read(), 0};
    if (!a.read) a.value = reg(v, iss.rt());
    SysregResult r = gic_and_id_sysreg(v, a);
    if (r == SysregResult::not_mine) r = debug_sysreg(v, a);
    if (r == SysregResult::not_mine) r = ras_lor_sysreg(v, a);
    if (r != SysregResult::done) { // not_mine too: every other trapped register is undefined for zones
        vcpu_inject_undefined(v);
        return;
    }
    if (a.read) set_reg(v, iss.rt(), a.value);
    skip(v);
}

// Completes a load or store at the data abort's PC: a load's value into
// its register, extended as the syndrome said; PC past the instruction.
void finish_access(Vcpu& v, const arch::VcpuContext::PendingIo& io, u64 value) {
    if (!io.write) {
        u64 val = io.size == 8 ? value : value & ((u64(1) << (8 * io.size)) - 1);
        if (io.sign_extend && io.size < 8 && (val >> (8 * io.size - 1) & 1)) val |= ~((u64(1) << (8 * io.size)) - 1);
        if (!io.wide) val &= 0xffffffff;
        set_reg(v, io.rt, val);
    }
    skip(v);
}

void data_abort(Vcpu& v, u64 esr) {
    DataAbortIss iss{esr::iss(esr)};
    u64 far = BH_READ_SYSREG(far_el2);
    u64 hpfar = BH_READ_SYSREG(hpfar_el2);
    GuestPhys ipa((hpfar >> 4) << 12 | (far & 0xfff));
    bool isv = iss.isv();
    bool write = iss.write();
    bool s1ptw = iss.s1ptw();
    GuestFault f{ipa, far, v.ctx.regs.pc, write, false};
    if (s1ptw) {
        f.what = "in the zone's own page-table walk";
        handle_guest_fault(v, f);
        return;
    }
    DeviceAccess a;
    a.size = static_cast<u8>(iss.size());
    a.write = write;
    unsigned srt = iss.srt();
    if (write) a.value = reg(v, srt) & (a.size == 8 ? ~u64(0) : (u64(1) << (8 * a.size)) - 1);
    // The zone's device registry says who owns the address; without a
    // syndrome to decode (ISV clear) nothing is emulated.
    const DeviceRegistry& devices = v.zone->devices;
    if (!isv || !devices.dispatch(v, AddressSpace::mmio, ipa.raw(), a)) {
        if (!isv && devices.find(AddressSpace::mmio, ipa.raw()))
            f.what = "to a device with an instruction that cannot be emulated";
        handle_guest_fault(v, f);
        return;
    }
    if (a.retry) { // the device cannot take it now: run the access again later
        sched::yield_current();
        return;
    }
    arch::VcpuContext::PendingIo io{static_cast<u8>(srt), a.size, write, iss.sign_extend(), iss.sixty_four()};
    if (a.deferred) { // a server completes it: the result is applied before the vCPU runs on
        v.ctx.pending_io = io;
        sched::wait_io_current();
        return;
    }
    finish_access(v, io, a.value);
}

// WFI blocks the vCPU until an interrupt is pending for it; WFIT also
// until the virtual counter reaches Xt (the wake-up comes from the sleeper
// list, vcpu_timer_deadline). WFE and WFET are not trapped (HCR_EL2.TWE).
void wait(Vcpu& v, WfxIss iss) {
    skip(v);
    if (iss.kind() == WfxIss::kWfit) {
        if (!iss.register_valid()) return; // no timeout to honour: wake now (allowed, like any WFI)
        u64 virt = reg(v, iss.rn());
        u64 deadline = virt + v.zone->arch.cntvoff;
        if (deadline < virt) deadline = ~u64(0); // past the end of time: no timeout
        if (deadline <= arch::now()) return;
        v.ctx.wfit_deadline = deadline;
    } else if (iss.kind() != WfxIss::kWfi) {
        return;
    }
    sched::block_current();
}

void sync_exit(Vcpu& v) {
    u64 esr = BH_READ_SYSREG(esr_el2);
    switch (esr::ec(esr)) {
    case kEcWfx: wait(v, WfxIss{esr::iss(esr)}); return;
    case kEcHvc64: hypercall(v); return;
    case kEcSmc64:
        skip(v); // SMC's preferred return address is the SMC itself
        hypercall(v);
        return;
    case kEcSysreg: sysreg(v, SysregIss{esr::iss(esr)}); return;
    case kEcDataAbortLower: data_abort(v, esr); return;
    case kEcInstrAbortLower: {
        u64 far = BH_READ_SYSREG(far_el2);
        GuestPhys ipa((BH_READ_SYSREG(hpfar_el2) >> 4) << 12 | (far & 0xfff));
        handle_guest_fault(v, {ipa, far, v.ctx.regs.pc, false, true});
        return;
    }
    case kEcSve:
    case kEcSme: vcpu_inject_undefined(v); return;
    default: {
        char why[80];
        format(why, sizeof why, "unhandled exit, ESR_EL2 %#llx at PC %#llx", static_cast<unsigned long long>(esr),
               static_cast<unsigned long long>(v.ctx.regs.pc));
        zone_end(*v.zone, ZoneState::crashed, BH_EXIT_BAD_STATE, esr, why);
    }
    }
}

} // namespace

extern "C" void aarch64_handle_exit(u64 kind) {
    PerCpu& c = arch::this_cpu();
    Vcpu& v = *c.current;
    ++c.exits;
    v.ctx.wfit_deadline = 0;
    switch (kind) {
    case BH_EXIT_KIND_SYNC: sync_exit(v); break;
    case BH_EXIT_KIND_IRQ: handle_host_interrupts(); break;
    case BH_EXIT_KIND_SERROR: {
        char why[64];
        format(why, sizeof why, "SError, ESR_EL2 %#llx", static_cast<unsigned long long>(BH_READ_SYSREG(esr_el2)));
        zone_end(*v.zone, ZoneState::crashed, BH_EXIT_BAD_STATE, 0, why);
        break;
    }
    default: break;
    }
    sched::schedule_if_needed();
    Vcpu& next = *c.current;
    // A forwarded access the server completed while this vCPU waited.
    if (next.io.state.load() == VcpuIo::State::done) {
        finish_access(next, next.ctx.pending_io, next.io.value);
        next.io.state.store(VcpuIo::State::none);
    }
    vgic_flush(next);
}

// Runs the scheduler for the first time on this CPU and enters a zone.
extern "C" void return_to_guest();
[[noreturn]] void enter_zones() {
    sched::schedule();
    vgic_flush(*arch::this_cpu().current);
    return_to_guest();
    __builtin_unreachable();
}

extern "C" [[noreturn]] void aarch64_hyp_fault(u64 kind, u64 sp) {
    panic("exception in the hypervisor: vector %llu, ESR_EL2 %#llx, ELR_EL2 %#llx, FAR_EL2 %#llx, SP %#llx",
          static_cast<unsigned long long>(kind), static_cast<unsigned long long>(BH_READ_SYSREG(esr_el2)),
          static_cast<unsigned long long>(BH_READ_SYSREG(elr_el2)),
          static_cast<unsigned long long>(BH_READ_SYSREG(far_el2)), static_cast<unsigned long long>(sp));
}

} // namespace bh::aarch64
