// SPDX-License-Identifier: GPL-2.0-only
#include "debug_regs.hpp"

#include "cpu_features.hpp"
#include "sysreg_trap.hpp"

#include <arch/sysreg.hpp>
#include <bulkhead/arch_interface.hpp>

namespace bh::aarch64 {
namespace {

enum : u64 {
    kMdcrTda = 1u << 9,    // debug registers
    kMdcrTdosa = 1u << 10, // OS lock, double lock, DBGPRCR
    kMdcrTdra = 1u << 11,  // MDRAR_EL1
};
// Writable bits (Arm ARM D19.3): DBGBCR BT, LBN, SSC, HMC, BAS, PMC, E;
// DBGWCR MASK, WT, LBN, SSC, HMC, BAS, LSC, PAC, E; the value registers
// hold an address (bits 1:0 RES0).
constexpr u64 kBcrMask = 0x00ffe1e7;
constexpr u64 kWcrMask = 0x1f1fffff;
constexpr u64 kVrMask = ~u64(3);
constexpr u64 kOslsrOslmImplemented = 1u << 3; // OSLM = 0b10
constexpr unsigned kOslsrOslkShift = 1;
constexpr u64 kClaimTags = 0xff;

using arch::DebugRegs;

// Whether the CPU's debug registers may hold a zone's values (cleared
// before a vCPU that uses none runs): PerCpu::arch.debug_regs_dirty.

// An X-macro table, laid out by hand:
// clang-format off
#define BH_PAIR_CASES(X, kind) X(kind, 0) X(kind, 1) X(kind, 2) X(kind, 3) X(kind, 4) X(kind, 5) X(kind, 6) X(kind, 7) \
    X(kind, 8) X(kind, 9) X(kind, 10) X(kind, 11) X(kind, 12) X(kind, 13) X(kind, 14) X(kind, 15)
// clang-format on
// An X-macro table, laid out by hand:
// clang-format off
#define BH_PAIR_WRITE_CASE(kind, i) \
    case i: BH_WRITE_SYSREG(dbg##kind##i##_el1, v); return;
// clang-format on
// An X-macro table, laid out by hand:
// clang-format off
#define BH_PAIR_WRITER(kind) \
    void write_##kind(unsigned n, u64 v) { switch (n) { BH_PAIR_CASES(BH_PAIR_WRITE_CASE, kind) } }
// clang-format on
BH_PAIR_WRITER(bvr)
BH_PAIR_WRITER(bcr)
BH_PAIR_WRITER(wvr)
BH_PAIR_WRITER(wcr)
#undef BH_PAIR_WRITER
#undef BH_PAIR_WRITE_CASE
#undef BH_PAIR_CASES

// DBGPRCR_EL1 stays the vCPU's copy: it only asks for the core to stay
// powered (not every implementation has it at EL2 either: QEMU's does not).
void write_locks(bool oslk, bool osdlk) {
    BH_WRITE_SYSREG(oslar_el1, oslk ? 1 : 0);
    if (cpu_features().double_lock) BH_WRITE_SYSREG(osdlr_el1, osdlk ? 1 : 0);
}

void write_all(const DebugRegs& d) {
    const CpuFeatures& f = cpu_features();
    for (unsigned n = 0; n < f.breakpoints; ++n) {
        write_bcr(n, d.bcr[n]);
        write_bvr(n, d.bvr[n]);
    }
    for (unsigned n = 0; n < f.watchpoints; ++n) {
        write_wcr(n, d.wcr[n]);
        write_wvr(n, d.wvr[n]);
    }
    write_locks(d.oslk, d.osdlk);
    isb();
}

// A write the CPU must see now: the vCPU is loaded here (exits are handled
// on the vCPU's own CPU).
void commit(DebugRegs& d, bool nonzero) {
    if (nonzero && !d.in_use) {
        d.in_use = true;
        write_all(d);
    }
    if (d.in_use) arch::this_cpu().arch.debug_regs_dirty = true;
}

// DBGBVR<n>, DBGBCR<n>, DBGWVR<n>, DBGWCR<n>: op0 2, op1 0, CRn 0, CRm n, op2 4-7.
SysregResult pair_access(DebugRegs& d, SysregAccess& a) {
    const CpuFeatures& f = cpu_features();
    unsigned n = a.crm;
    bool breakpoint = a.op2 < 6;
    if (n >= (breakpoint ? f.breakpoints : f.watchpoints)) return SysregResult::undefined;
    u64* reg;
    u64 mask;
    void (*hw)(unsigned, u64);
    switch (a.op2) {
    case 4: reg = &d.bvr[n], mask = kVrMask, hw = write_bvr; break;
    case 5: reg = &d.bcr[n], mask = kBcrMask, hw = write_bcr; break;
    case 6: reg = &d.wvr[n], mask = kVrMask, hw = write_wvr; break;
    default: reg = &d.wcr[n], mask = kWcrMask, hw = write_wcr; break;
    }
    if (a.read) {
        a.value = *reg;
    } else {
        *reg = a.value & mask;
        bool was = d.in_use;
        commit(d, *reg != 0);
        if (was) hw(n, *reg);
        isb();
    }
    return SysregResult::done;
}

SysregResult lock_access(DebugRegs& d, SysregAccess& a) {
    bool* bit = nullptr;
    if (a.crm == 0 && a.op2 == 4) { // OSLAR_EL1 (write-only)
        if (a.read) return SysregResult::undefined;
        bit = &d.oslk;
    } else if (a.crm == 1 && a.op2 == 4) { // OSLSR_EL1 (read-only)
        if (!a.read) return SysregResult::undefined;
        a.value = kOslsrOslmImplemented | (u64(d.oslk) << kOslsrOslkShift);
        return SysregResult::done;
    } else if (a.crm == 3 && a.op2 == 4) { // OSDLR_EL1
        if (!cpu_features().double_lock) {
            if (a.read) a.value = 0;
            return SysregResult::done;
        }
        bit = &d.osdlk;
    } else if (a.crm == 4 && a.op2 == 4) { // DBGPRCR_EL1
        bit = &d.corenpdrq;
    } else if (a.crm == 0 && a.op2 == 0) { // MDRAR_EL1: no memory-mapped debug
        if (!a.read) return SysregResult::undefined;
        a.value = 0;
        return SysregResult::done;
    } else {
        return SysregResult::undefined;
    }
    if (a.read) {
        a.value = *bit ? 1 : 0;
        return SysregResult::done;
    }
    bool was = d.in_use;
    *bit = a.value & 1;
    commit(d, *bit);
    if (was) write_locks(d.oslk, d.osdlk);
    isb();
    return SysregResult::done;
}

} // namespace

u64 debug_mdcr_bits() { return kMdcrTda | kMdcrTdosa | kMdcrTdra; }

void debug_init_cpu() {
    write_all(DebugRegs{});
    BH_WRITE_SYSREG(mdscr_el1, 0);
    arch::this_cpu().arch.debug_regs_dirty = false;
}

void debug_reset(Vcpu& v) { v.ctx.debug = DebugRegs{}; }

void debug_load(Vcpu& v) {
    bool& dirty = arch::this_cpu().arch.debug_regs_dirty;
    if (v.ctx.debug.in_use) {
        write_all(v.ctx.debug);
        dirty = true;
    } else if (dirty) {
        write_all(DebugRegs{});
        dirty = false;
    }
}

SysregResult debug_sysreg(Vcpu& v, SysregAccess& a) {
    if (a.op0 != 2) return SysregResult::not_mine;
    DebugRegs& d = v.ctx.debug;
    if (a.op1 == 3) { // MDCCSR_EL0, DBGDTR*_EL0: no debugger on the other end
        if (a.read) a.value = 0;
        return SysregResult::done;
    }
    if (a.op1 != 0) return SysregResult::undefined; // trace (CPTR_EL2.TTA)
    if (a.crn == 0 && a.op2 >= 4) return pair_access(d, a);
    if (a.crn == 0 && a.crm == 2 && a.op2 == 2) { // MDSCR_EL1: switched with the vCPU (vcpu.cpp)
        if (a.read)
            a.value = BH_READ_SYSREG(mdscr_el1);
        else
            BH_WRITE_SYSREG(mdscr_el1, a.value);
        return SysregResult::done;
    }
    if (a.crn == 0 && a.crm == 2 && a.op2 == 0) { // MDCCINT_EL1: TX, RX
        if (a.read)
            a.value = d.mdccint;
        else
            d.mdccint = a.value & ((1u << 29) | (1u << 30));
        return SysregResult::done;
    }
    if (a.crn == 0 && a.op2 == 2) { // OSDTRRX, OSDTRTX, OSECCR: no debugger
        if (a.read) a.value = 0;
        return SysregResult::done;
    }
    if (a.crn == 1) return lock_access(d, a);
    if (a.crn == 7 && a.op2 == 6) {
        if (a.crm == 8) { // DBGCLAIMSET_EL1
            if (a.read)
                a.value = kClaimTags;
            else
                d.claim = static_cast<u8>(d.claim | (a.value & kClaimTags));
            return SysregResult::done;
        }
        if (a.crm == 9) { // DBGCLAIMCLR_EL1
            if (a.read)
                a.value = d.claim;
            else
                d.claim = static_cast<u8>(d.claim & ~(a.value & kClaimTags));
            return SysregResult::done;
        }
        if (a.crm == 14 && a.read) { // DBGAUTHSTATUS_EL1
            a.value = BH_READ_SYSREG(dbgauthstatus_el1);
            return SysregResult::done;
        }
    }
    return SysregResult::undefined;
}

} // namespace bh::aarch64
