// SPDX-License-Identifier: GPL-2.0-only
// CPUID for zones: the host's answers with the bits masked that would
// promise something the hypervisor does not give a zone (nested
// virtualization, XSAVE state, machine checks, MTRRs, performance counters,
// monitor/mwait), plus the hypervisor leaves. Zones do get a local APIC
// (xAPIC and x2APIC, with TSC-deadline timer mode: vlapic.hpp).
#include "exit_common.hpp"
#include "tsc_aux.hpp"

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/vcpu.hpp>
#include <bulkhead/zone.hpp>

namespace bh::x86_64 {
namespace {

constexpr u32 bit(unsigned n) { return 1u << n; }

// Leaf 1 ECX: MONITOR 3, VMX 5, SMX 6, EST 7, TM2 8, PDCM 15, XSAVE 26,
// OSXSAVE 27, AVX 28 hidden; x2APIC 21, TSC-deadline 24 and "hypervisor"
// 31 set (the virtual APIC has them whatever the host has).
constexpr u32 kLeaf1EcxHidden = bit(3) | bit(5) | bit(6) | bit(7) | bit(8) | bit(15) | bit(26) | bit(27) | bit(28);
constexpr u32 kLeaf1EcxSet = bit(21) | bit(24) | bit(31);
// Leaf 1 EDX: MCE 7, MTRR 12, MCA 14, ACPI 22, TM 29, PBE 31 hidden; APIC 9 set.
constexpr u32 kLeaf1EdxHidden = bit(7) | bit(12) | bit(14) | bit(22) | bit(29) | bit(31);
constexpr u32 kLeaf1EdxSet = bit(9);
// Leaf 7.0 EBX: TSC_ADJUST 1 (its MSR, 0x3b, is refused), SGX 2, AVX2 5, INVPCID 10, RTM 11, PQM 12, MPX 14, PQE 15,
// AVX-512 16 17 21 26 27 28 30 31, Intel PT 25. ECX: AVX-512 bits, WAITPKG 5,
// PKU/OSPKE 3 4, CET shadow stacks 7, Key Locker 23, SGX_LC 30, PKS 31.
// EDX: AVX-512 2 3, user interrupts 5, hybrid, CET IBT 20, AMX 22 24 25.
// (Their CR4 enables are refused: cr4_policy.hpp.)
constexpr u32 kLeaf7EbxHidden = bit(1) | bit(2) | bit(5) | bit(10) | bit(11) | bit(12) | bit(14) | bit(15) | bit(16) |
                                bit(17) | bit(21) | bit(25) | bit(26) | bit(27) | bit(28) | bit(30) | bit(31);
constexpr u32 kLeaf7EcxHidden =
    bit(1) | bit(3) | bit(4) | bit(5) | bit(6) | bit(7) | bit(11) | bit(12) | bit(14) | bit(23) | bit(30) | bit(31);
constexpr u32 kLeaf7EdxHidden = bit(2) | bit(3) | bit(5) | bit(8) | bit(20) | bit(22) | bit(23) | bit(24) | bit(25);
// Leaf 0x80000001 ECX: SVM 2, ExtApicSpace 3, IBS 10, SKINIT 12, WDT 13,
// LWP 15, PerfCtrExtCore 23, PerfCtrExtNB 24, PerfCtrExtLLC 28, MONITORX 29.
constexpr u32 kExt1EcxHidden =
    bit(2) | bit(3) | bit(10) | bit(12) | bit(13) | bit(15) | bit(23) | bit(24) | bit(28) | bit(29);

// Leaf 6 EAX: ARAT (always-running APIC timer) 2. Leaf 0x80000007 EDX:
// invariant TSC 8.
constexpr u32 kLeaf6EaxArat = bit(2);
constexpr u32 kExt7EdxInvariantTsc = bit(8);

constexpr u32 kHypervisorBase = 0x40000000, kHypervisorLast = 0x40000010;
// "BulkheadHV  " in EBX, ECX, EDX, as KVM's "KVMKVMKVM" is.
constexpr u32 kSignature[3] = {0x6b6c7542, 0x64616568, 0x20205648};

} // namespace

x86::CpuidResult cpuid_for_zone(const Vcpu& v, u32 leaf, u32 subleaf, HypercallInsn insn) {
    if (leaf >= kHypervisorBase && leaf < kHypervisorBase + 0x100) {
        if (leaf == kHypervisorBase) return {kHypervisorLast, kSignature[0], kSignature[1], kSignature[2]};
        if (leaf == kHypervisorBase + 1) return {static_cast<u32>(insn), 0, 0, 0};
        // The TSC's rate in kHz and the local APIC timer's (the same clock),
        // where KVM and VMware report them, since zones cannot calibrate
        // against a PIT they do not have.
        if (leaf == kHypervisorBase + 0x10) {
            u32 khz = static_cast<u32>(arch::ticks_per_second() / 1000);
            return {khz, khz, 0, 0};
        }
        return {0, 0, 0, 0};
    }
    x86::CpuidResult r = x86::cpuid(leaf, subleaf);
    switch (leaf) {
    case 1:
        r.ecx = (r.ecx & ~kLeaf1EcxHidden) | kLeaf1EcxSet;
        r.edx = (r.edx & ~kLeaf1EdxHidden) | kLeaf1EdxSet;
        // Initial APIC ID = the vCPU index; logical processor count = vCPUs.
        r.ebx = (r.ebx & 0x0000ffff) | (v.index << 24) | ((v.zone->vcpu_count & 0xff) << 16);
        break;
    case 6:
        // Thermal and power management: only ARAT (EAX bit 2), "the APIC
        // timer keeps running in deep C-states". A zone's local APIC timer is
        // the hypervisor's emulation, driven by the host's own timer however
        // the host CPU idles, and a zone cannot put a CPU into a C-state (HLT
        // blocks the vCPU; MONITOR/MWAIT are hidden): it never stops.
        r = {kLeaf6EaxArat, 0, 0, 0};
        break;
    case 5:
    case 0xa:
    case 0xd:
    case 0xf:
    case 0x10:
    case 0x12:
    case 0x14:
    case 0x1b:
        // mwait, performance monitoring, XSAVE, RDT, SGX, PT, PCONFIG
        r = {0, 0, 0, 0};
        break;
    case 7:
        if (subleaf == 0) {
            r.ebx &= ~kLeaf7EbxHidden;
            r.ecx &= ~kLeaf7EcxHidden;
            r.edx &= ~kLeaf7EdxHidden;
            if (!tsc_aux_offered()) r.ecx &= ~bit(22); // RDPID
        } else {
            r = {0, 0, 0, 0};
        }
        break;
    case 0xb:
    case 0x1f: // topology: one thread per core, x2APIC ID = vCPU index
        r = {0, subleaf == 0 ? 1u : v.zone->vcpu_count, subleaf < 2 ? ((subleaf + 1) << 8) | subleaf : subleaf,
             v.index};
        break;
    case 0x80000001:
        r.ecx &= ~kExt1EcxHidden;
        if (!tsc_aux_offered()) r.edx &= ~bit(27); // RDTSCP
        break;
    case 0x80000007:
        // Advanced power management: only the invariant TSC (EDX bit 8).
        // The zone's TSC is the host's, unscaled and unoffset, and the
        // hypervisor's own clock (arch::now) is that TSC at the one rate it
        // measured at boot (ticks_per_second, which CPUID 0x40000010 tells
        // the zone): every deadline, the zone's RTC and its TSC-deadline
        // timer already rely on the rate never changing. Zones see no
        // P-states or C-states to stop or slow it.
        r = {0, 0, 0, kExt7EdxInvariantTsc};
        break;
    case 0x8000000a: r = {0, 0, 0, 0}; break; // SVM features
    default: break;
    }
    return r;
}

Emulation cpuid(Vcpu& v) {
    arch::GuestRegs& r = v.ctx.regs;
    x86::CpuidResult c = cpuid_for_zone(v, static_cast<u32>(r.rax), static_cast<u32>(r.rcx), backend().hypercall_insn);
    r.rax = c.eax;
    r.rbx = c.ebx;
    r.rcx = c.ecx;
    r.rdx = c.edx;
    return Emulation::completed;
}

} // namespace bh::x86_64
