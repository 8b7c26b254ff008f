// SPDX-License-Identifier: GPL-2.0-only
// Everything of a vCPU that lives in CPU registers while it runs.
#pragma once

#include <stddef.h>

#include <arch/vgic_state.hpp>
#include <bulkhead/types.hpp>

namespace bh::arch {

// Saved by the exception vectors on every exit; the layout is the assembly's.
struct GuestRegs {
    u64 x[31];
    u64 pc;     // ELR_EL2
    u64 pstate; // SPSR_EL2
};
static_assert(offsetof(GuestRegs, pc) == 248 && offsetof(GuestRegs, pstate) == 256, "vectors.S frame");

// EL1 state switched only when another vCPU takes the physical CPU.
struct El1Sysregs {
    u64 sctlr, actlr, cpacr;
    u64 ttbr0, ttbr1, tcr, mair, amair;
    u64 vbar, contextidr, tpidr_el0, tpidrro_el0, tpidr_el1;
    u64 sp_el0, sp_el1, elr_el1, spsr_el1;
    u64 esr, far, afsr0, afsr1, par;
    u64 cntkctl, cntv_ctl, cntv_cval, cntp_ctl, cntp_cval;
    u64 mdscr, csselr;
    u64 vmpidr;
    u64 vdisr;  // DISR_EL1 as the zone sees it (VDISR_EL2, HCR_EL2.AMO set), with FEAT_RAS
    u64 tpidr2; // TPIDR2_EL0, with FEAT_SME (no EL2 trap reaches it)
};

// The self-hosted debug registers: trapped (MDCR_EL2.TDA, TDOSA, TDRA) and
// kept here; loaded into the CPU only while the zone has set any of them
// (debug_regs.cpp).
struct DebugRegs {
    static constexpr unsigned kMaxPairs = 16;
    u64 bvr[kMaxPairs], bcr[kMaxPairs], wvr[kMaxPairs], wcr[kMaxPairs];
    u64 mdccint;
    u8 claim;       // DBGCLAIM tags
    bool oslk;      // OS lock
    bool osdlk;     // OS double lock
    bool corenpdrq; // DBGPRCR_EL1
    bool in_use;    // some value is not its reset value: load them with the vCPU
};

// FP/SIMD: the hypervisor is built with -mgeneral-regs-only, so these stay
// the guest's across exits and are only switched with the vCPU.
struct FpRegs {
    u64 q[64]; // q0..q31, low half first
    u64 fpcr, fpsr;
};
static_assert(offsetof(FpRegs, fpcr) == 512, "fp_state.S layout");

// What fault-policy "abort" does on arm64 (see docs/architecture.md).
inline constexpr const char* kFaultInjectionName = "injecting an external abort";

struct VcpuContext {
    GuestRegs regs;
    El1Sysregs el1;
    FpRegs fp;
    DebugRegs debug;
    VgicCpuState vgic;
    u64 pauth_keys[10];
    // The counter value a WFIT waits for (0: none); set by the WFIT exit,
    // cleared at the next exit.
    u64 wfit_deadline;
    // A forwarded load or store the vCPU waits for (VcpuIo): where a load's
    // value goes and how it is extended; applied before it runs on.
    struct PendingIo {
        u8 rt;   // 31: XZR
        u8 size; // bytes
        bool write;
        bool sign_extend; // SSE
        bool wide;        // SF: a 64-bit register
    } pending_io;
};

} // namespace bh::arch
