// SPDX-License-Identifier: GPL-2.0-only
// The VMX controls Bulkhead uses, adjusted to what the CPU allows, and the
// bitmaps shared by every VMCS.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::x86_64::vmx {

// Control bits (SDM vol. 3 24.6.1, 24.6.2, 24.7.1, 24.8.1).
enum : u32 {
    kPinExternalInterrupt = 1u << 0,
    kPinNmi = 1u << 3,
    kPinPreemptionTimer = 1u << 6,
    kProcIntrWindow = 1u << 2,
    kProcHlt = 1u << 7,
    kProcMwait = 1u << 10,
    kProcRdpmc = 1u << 11,
    kProcCr3Load = 1u << 15,
    kProcCr3Store = 1u << 16,
    kProcCr8Load = 1u << 19,
    kProcCr8Store = 1u << 20,
    kProcMovDr = 1u << 23,
    kProcIoBitmaps = 1u << 25,
    kProcMsrBitmaps = 1u << 28,
    kProcMonitor = 1u << 29,
    kProcSecondary = 1u << 31,
    kProc2Ept = 1u << 1,
    kProc2Rdtscp = 1u << 3,
    kProc2Vpid = 1u << 5,
    kProc2Unrestricted = 1u << 7,
    kExitSaveDebug = 1u << 2,
    kExitHost64 = 1u << 9,
    kExitSavePat = 1u << 18,
    kExitLoadPat = 1u << 19,
    kExitSaveEfer = 1u << 20,
    kExitLoadEfer = 1u << 21,
    kEntryLoadDebug = 1u << 2,
    kEntryGuest64 = 1u << 9,
    kEntryLoadPat = 1u << 14,
    kEntryLoadEfer = 1u << 15,
};

struct Caps {
    u32 revision = 0;
    // `proc`: the primary processor-based controls every vCPU has;
    // interrupt-window and MOV-DR exiting are added per vCPU (vmx_vcpu.cpp).
    u32 pin = 0, proc = 0, proc2 = 0, exit = 0, entry = 0;
    bool vpid = false, invept = false;
    bool irq_window_ok = false; // interrupt-window exiting may be set (it is, per vCPU, when needed)
    bool mov_dr_ok = false;     // MOV-DR exiting may be set (per vCPU, until its debug registers are live)
    bool unrestricted = false;  // zones may run in real mode (vCPUs started by STARTUP IPIs)
    bool preemption_timer = false;
    u32 preemption_shift = 0; // the timer counts once every 2^shift TSC ticks
    u64 cr0_fixed0 = 0, cr0_fixed1 = 0, cr4_fixed0 = 0, cr4_fixed1 = 0;
    u64 zone_cr4 = 0; // the CR4 bits a zone may set (cr4_policy.hpp)
    HostPhys msr_bitmap, io_bitmaps;
};

const Caps& caps();

} // namespace bh::x86_64::vmx
