// SPDX-License-Identifier: GPL-2.0-only
// VMX capabilities and VMXON (Intel SDM vol. 3 chapters 24, 25, appendix A).
#include "vmx.hpp"

#include "cr4_policy.hpp"
#include "percpu.hpp"
#include "vmx_caps.hpp"

#include <arch/x86.hpp>
#include <bulkhead/log.hpp>

namespace bh::x86_64::vmx {
namespace {

enum : u32 {
    kMsrFeatureControl = 0x3a,
    kMsrVmxBasic = 0x480,
    kMsrPinbased = 0x481,
    kMsrProcbased = 0x482,
    kMsrExit = 0x483,
    kMsrEntry = 0x484,
    kMsrMisc = 0x485,
    kMsrCr0Fixed0 = 0x486,
    kMsrCr0Fixed1 = 0x487,
    kMsrCr4Fixed0 = 0x488,
    kMsrCr4Fixed1 = 0x489,
    kMsrProcbased2 = 0x48b,
    kMsrEptVpidCap = 0x48c,
    kMsrTruePinbased = 0x48d,
    kMsrTrueProcbased = 0x48e,
    kMsrTrueExit = 0x48f,
    kMsrTrueEntry = 0x490,
};
constexpr u64 kFeatureLock = 1u << 0, kFeatureVmxOutsideSmx = 1u << 2;
constexpr u64 kBasicTrueControls = 1ull << 55;
constexpr u64 kEptWalk4 = 1u << 6, kEptWb = 1u << 14, kEpt2M = 1u << 16, kInvept = 1u << 20, kInveptSingle = 1u << 25,
              kInvvpid = 1ull << 32, kInvvpidSingle = 1ull << 41;

Caps caps_;
bool vpid_forgone = false;

// A control's value: the bits we want that the CPU allows, plus the bits it requires.
u32 adjust(u32 msr, u32 want) {
    u64 v = x86::rdmsr(msr);
    return (want | static_cast<u32>(v)) & static_cast<u32>(v >> 32);
}
bool allows(u32 msr, u32 bits) { return (static_cast<u32>(x86::rdmsr(msr) >> 32) & bits) == bits; }

} // namespace

const Caps& caps() { return caps_; }

void forgo_vpid() { vpid_forgone = true; }

bool supported(const char*& why) {
    if (!((x86::cpuid(1).ecx >> 5) & 1)) {
        why = "no VMX (CPUID 1 ECX bit 5)";
        return false;
    }
    u64 fc = x86::rdmsr(kMsrFeatureControl);
    if ((fc & kFeatureLock) && !(fc & kFeatureVmxOutsideSmx)) {
        why = "VMX is disabled by the firmware (IA32_FEATURE_CONTROL)";
        return false;
    }
    u64 basic = x86::rdmsr(kMsrVmxBasic);
    bool tru = basic & kBasicTrueControls;
    caps_.revision = static_cast<u32>(basic & 0x7fffffff);
    u32 pin = tru ? kMsrTruePinbased : kMsrPinbased, proc = tru ? kMsrTrueProcbased : kMsrProcbased;
    u32 exit = tru ? kMsrTrueExit : kMsrExit, entry = tru ? kMsrTrueEntry : kMsrEntry;
    if (!allows(proc, kProcSecondary) || !allows(kMsrProcbased2, kProc2Ept)) {
        why = "VMX without EPT";
        return false;
    }
    u64 ept = x86::rdmsr(kMsrEptVpidCap);
    if ((ept & (kEptWalk4 | kEptWb | kEpt2M)) != (kEptWalk4 | kEptWb | kEpt2M)) {
        why = "EPT without 4-level walks, write-back tables or 2 MiB pages";
        return false;
    }
    caps_.invept = (ept & kInvept) && (ept & kInveptSingle);
    caps_.vpid = !vpid_forgone && allows(kMsrProcbased2, kProc2Vpid) && (ept & kInvvpid) && (ept & kInvvpidSingle);
    if (!caps_.vpid)
        log("VMX without VPIDs%s: every VM entry and exit flushes the zone's linear mappings",
            vpid_forgone ? " (boot option vmx-no-vpid)" : "");
    caps_.pin = adjust(pin, kPinExternalInterrupt | kPinNmi | kPinPreemptionTimer);
    caps_.preemption_timer = caps_.pin & kPinPreemptionTimer;
    caps_.preemption_shift = static_cast<u32>(x86::rdmsr(kMsrMisc) & 0x1f);
    caps_.irq_window_ok = allows(proc, kProcIntrWindow);
    caps_.mov_dr_ok = allows(proc, kProcMovDr);
    // CR8 is the zone's virtual TPR: every access exits (no TPR shadow), so
    // a zone never writes the physical APIC's task priority.
    caps_.proc = adjust(proc, kProcHlt | kProcMwait | kProcRdpmc | kProcCr8Load | kProcCr8Store | kProcIoBitmaps |
                                  kProcMsrBitmaps | kProcMonitor | kProcSecondary);
    // With EPT the guest owns CR3: no CR3 load/store exits. MOV-DR exiting
    // is per vCPU.
    caps_.proc &= ~(kProcCr3Load | kProcCr3Store | kProcMovDr);
    caps_.unrestricted = allows(kMsrProcbased2, kProc2Unrestricted);
    u32 want2 = kProc2Ept | kProc2Rdtscp | (caps_.vpid ? u32(kProc2Vpid) : 0u) |
                (caps_.unrestricted ? u32(kProc2Unrestricted) : 0u);
    caps_.proc2 = adjust(kMsrProcbased2, want2);
    // DR7 of the zone is switched by entry and exit (load / save debug controls).
    caps_.exit =
        adjust(exit, kExitSaveDebug | kExitHost64 | kExitSavePat | kExitLoadPat | kExitSaveEfer | kExitLoadEfer);
    caps_.entry = adjust(entry, kEntryLoadDebug | kEntryGuest64 | kEntryLoadPat | kEntryLoadEfer);
    constexpr u32 kNeededProc = kProcHlt | kProcRdpmc | kProcCr8Load | kProcCr8Store;
    if (!(caps_.pin & kPinExternalInterrupt) || (caps_.proc & kNeededProc) != kNeededProc || !caps_.irq_window_ok ||
        !caps_.mov_dr_ok || (caps_.proc & (kProcCr3Load | kProcCr3Store)) || !(caps_.exit & kExitHost64) ||
        !(caps_.exit & kExitSaveDebug) || !(caps_.entry & kEntryGuest64) || !(caps_.entry & kEntryLoadEfer) ||
        !(caps_.entry & kEntryLoadDebug)) {
        why = "VMX lacks a control Bulkhead needs";
        return false;
    }
    caps_.cr0_fixed0 = x86::rdmsr(kMsrCr0Fixed0);
    caps_.cr0_fixed1 = x86::rdmsr(kMsrCr0Fixed1);
    caps_.cr4_fixed0 = x86::rdmsr(kMsrCr4Fixed0);
    caps_.cr4_fixed1 = x86::rdmsr(kMsrCr4Fixed1);
    caps_.zone_cr4 = cr4_supported() & caps_.cr4_fixed1;
    return true;
}

bool global_init(FrameAllocator& frames) {
    // One MSR bitmap page (all intercepted except below), I/O bitmaps A and B
    // (every port intercepted).
    if (!frames.alloc(1, 1, caps_.msr_bitmap) || !frames.alloc(2, 1, caps_.io_bitmaps)) return false;
    u8* m = phys_to_ptr<u8>(caps_.msr_bitmap);
    __builtin_memset(m, 0xff, kPageSize);
    // Read bitmaps at 0 (low MSRs) and 0x400 (high), write bitmaps at 0x800 and 0xc00.
    auto allow = [m](u32 msr) {
        u32 base = msr >= 0xc0000000 ? 0x400 : 0;
        u32 bit = msr & 0x1fff;
        m[base + bit / 8] &= static_cast<u8>(~(1u << (bit % 8)));
        m[base + 0x800 + bit / 8] &= static_cast<u8>(~(1u << (bit % 8)));
    };
    // In the VMCS (FS/GS base, SYSENTER) or switched with the vCPU (SYSCALL, KERNEL_GS_BASE).
    const u32 pass[] = {0x174,      0x175,      0x176,           0xc0000081,      0xc0000082,
                        0xc0000083, 0xc0000084, x86::kMsrFsBase, x86::kMsrGsBase, x86::kMsrKernelGsBase};
    for (u32 msr : pass) allow(msr);
    __builtin_memset(phys_to_ptr<u8>(caps_.io_bitmaps), 0xff, 2 * kPageSize);
    return true;
}

bool cpu_init(FrameAllocator& frames) {
    CpuLocal& l = local();
    if (!frames.alloc(1, 1, l.host_save_area)) return false; // the VMXON region
    u32* region = phys_to_ptr<u32>(l.host_save_area);
    __builtin_memset(region, 0, kPageSize);
    region[0] = caps_.revision;
    u64 fc = x86::rdmsr(kMsrFeatureControl);
    if (!(fc & kFeatureLock)) x86::wrmsr(kMsrFeatureControl, fc | kFeatureLock | kFeatureVmxOutsideSmx);
    x86::write_cr0((x86::read_cr0() | caps_.cr0_fixed0) & caps_.cr0_fixed1);
    x86::write_cr4(((x86::read_cr4() | x86::kCr4Vmxe) | caps_.cr4_fixed0) & caps_.cr4_fixed1);
    u64 pa = l.host_save_area.raw();
    u8 bad;
    asm volatile("vmxon %1; setbe %0" : "=qm"(bad) : "m"(pa) : "cc", "memory");
    l.current_vmcs = 0;
    return !bad;
}

// Without VPIDs the tags only track what each CPU last ran: the VMCS's
// VPID stays 0, so every VM entry and exit flushes the linear mappings,
// and INVEPT on a tag change (vcpu_run) the guest-physical ones. Zones are
// not limited by it.
u32 vpid_limit() { return 0x10000; }

} // namespace bh::x86_64::vmx
