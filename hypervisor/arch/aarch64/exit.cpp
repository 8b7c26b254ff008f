// SPDX-License-Identifier: GPL-2.0-only
// Zone exits: decode ESR_EL2, hand the event to its handler, schedule, and
// return to whichever vCPU is current. Short and allocation-free.
#include "asm_defs.h"
#include "host_irq.hpp"
#include "id_regs.hpp"
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

enum Ec : u32 {
    kEcWfx = 0x01, kEcHvc64 = 0x16, kEcSmc64 = 0x17, kEcSysreg = 0x18, kEcSve = 0x19,
    kEcInstrAbortLower = 0x20, kEcDataAbortLower = 0x24,
};

// ICC_SGI1R_EL1 as an ESR ISS: Op0 3, Op1 0, CRn 12, CRm 11, Op2 5.
constexpr u32 kIssSysregMask = 0x3ffc1e; // Op0, Op2, Op1, CRn, CRm (not Rt, not direction)
constexpr u32 sysreg_iss(u32 op0, u32 op1, u32 crn, u32 crm, u32 op2) {
    return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (crm << 1);
}
constexpr u32 kIssSgi1r = sysreg_iss(3, 0, 12, 11, 5);
constexpr u32 kIssAsgi1r = sysreg_iss(3, 1, 12, 11, 6);
constexpr u32 kIssSgi0r = sysreg_iss(3, 2, 12, 11, 7);

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

void sysreg(Vcpu& v, u32 iss) {
    bool read = iss & 1;
    unsigned rt = (iss >> 5) & 0x1f;
    u32 id = iss & kIssSysregMask;
    u32 op0 = (iss >> 20) & 3, op2 = (iss >> 17) & 7, op1 = (iss >> 14) & 7, crn = (iss >> 10) & 0xf,
        crm = (iss >> 1) & 0xf;
    if (read && is_id_register(op0, op1, crn, crm)) {
        set_reg(v, rt, read_id_register_for_zone(crm, op2));
    } else if (!read && id == kIssSgi1r) {
        vgic_sgi_write(v, reg(v, rt));
    } else if (id == kIssAsgi1r || id == kIssSgi0r || id == kIssSgi1r) {
        // Group 0 and alias SGIs: zones have group 1 only; ignore writes.
        if (read) set_reg(v, rt, 0);
    } else {
        vcpu_inject_undefined(v);
        return;
    }
    skip(v);
}

void data_abort(Vcpu& v, u64 esr) {
    u32 iss = static_cast<u32>(esr & 0x1ffffff);
    u64 far = BH_READ_SYSREG(far_el2);
    u64 hpfar = BH_READ_SYSREG(hpfar_el2);
    GuestPhys ipa((hpfar >> 4) << 12 | (far & 0xfff));
    bool isv = iss >> 24 & 1;
    bool write = iss >> 6 & 1;
    bool s1ptw = iss >> 7 & 1;
    GuestFault f{ipa, far, v.ctx.regs.pc, write, false};
    if (s1ptw) {
        f.what = "in the zone's own page-table walk";
        handle_guest_fault(v, f);
        return;
    }
    DeviceAccess a;
    a.size = static_cast<u8>(1u << ((iss >> 22) & 3));
    a.write = write;
    unsigned srt = (iss >> 16) & 0x1f;
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
    if (!write) {
        u64 val = a.size == 8 ? a.value : a.value & ((u64(1) << (8 * a.size)) - 1);
        bool sse = iss >> 21 & 1, sf = iss >> 15 & 1;
        if (sse && a.size < 8 && (val >> (8 * a.size - 1) & 1)) val |= ~((u64(1) << (8 * a.size)) - 1);
        if (!sf) val &= 0xffffffff;
        set_reg(v, srt, val);
    }
    skip(v);
}

void sync_exit(Vcpu& v) {
    u64 esr = BH_READ_SYSREG(esr_el2);
    u32 ec = static_cast<u32>(esr >> 26) & 0x3f;
    switch (ec) {
    case kEcWfx:
        skip(v);
        if (!(esr & 1)) sched::block_current(); // WFI; WFE is not trapped
        return;
    case kEcHvc64:
        hypercall(v);
        return;
    case kEcSmc64:
        skip(v); // SMC's preferred return address is the SMC itself
        hypercall(v);
        return;
    case kEcSysreg:
        sysreg(v, static_cast<u32>(esr & 0x1ffffff));
        return;
    case kEcDataAbortLower:
        data_abort(v, esr);
        return;
    case kEcInstrAbortLower: {
        u64 far = BH_READ_SYSREG(far_el2);
        GuestPhys ipa((BH_READ_SYSREG(hpfar_el2) >> 4) << 12 | (far & 0xfff));
        handle_guest_fault(v, {ipa, far, v.ctx.regs.pc, false, true});
        return;
    }
    case kEcSve:
        vcpu_inject_undefined(v);
        return;
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
    switch (kind) {
    case BH_EXIT_KIND_SYNC:
        sync_exit(v);
        break;
    case BH_EXIT_KIND_IRQ:
        handle_host_interrupts();
        break;
    case BH_EXIT_KIND_SERROR: {
        char why[64];
        format(why, sizeof why, "SError, ESR_EL2 %#llx", static_cast<unsigned long long>(BH_READ_SYSREG(esr_el2)));
        zone_end(*v.zone, ZoneState::crashed, BH_EXIT_BAD_STATE, 0, why);
        break;
    }
    default:
        break;
    }
    sched::schedule_if_needed();
    vgic_flush(*c.current);
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
