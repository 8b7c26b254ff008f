// SPDX-License-Identifier: GPL-2.0-only
// Exit handling shared by the SVM and VMX back ends: what a zone sees of
// CPUID (cpuid_policy.cpp), which MSRs it may use (msr_policy.cpp), port
// I/O, hypercalls, CR8, RDPMC. Each back end decodes its own exit
// information into these calls, moves RIP past the instruction when the
// handler says it completed, and keeps what lives in its control block
// behind the hooks in backend.hpp.
#pragma once

#include "backend.hpp"

#include <arch/x86.hpp>
#include <bulkhead/types.hpp>

namespace bh {
struct Vcpu;
}

namespace bh::x86_64 {

// How an intercepted instruction ended. `completed`: the back end moves
// RIP past it. `faulted`: an exception was injected, RIP stays on it.
enum class [[nodiscard]] Emulation : u8{completed, faulted};

// CPUID as a zone sees it: no VMX/SVM, no features whose state or MSRs the
// hypervisor does not switch or emulate, Bulkhead's leaves at 0x40000000.
x86::CpuidResult cpuid_for_zone(const Vcpu& v, u32 leaf, u32 subleaf, HypercallInsn insn);
// The CPUID instruction: leaf in EAX, subleaf in ECX, the answer in EAX-EDX.
Emulation cpuid(Vcpu& v);

// BH_HC_* with the function ID in RAX and arguments in RDI, RSI, RDX, R10,
// R8, R9; status back in RAX, results in RDI, RSI, RDX, R10. Hypercalls
// are the zone kernel's: VMMCALL and VMCALL exit before the CPU checks
// privilege, so a call from CPL > 0 (`cpl`: the VMCB's CPL, or the DPL of
// SS under VMX) is refused here, whatever its function: RAX =
// BH_ERR_PERMISSION_DENIED, nothing else changes (KVM returns -KVM_EPERM).
// The back end has moved RIP past the instruction already.
void hypercall(Vcpu& v, u32 cpl);

// IN/OUT (not the string forms) of `size` bytes at `port`: the zone's
// devices, else reads return all ones and writes are dropped (logged).
void port_io(Vcpu& v, u16 port, u8 size, bool write);

// RDMSR/WRMSR of an intercepted MSR (index in ECX, value in EDX:EAX).
Emulation msr_access(Vcpu& v, bool write);

// MOV to CR8 (the local APIC's task priority, CR8 = TPR[7:4]); bits 63:4
// are reserved (#GP).
Emulation write_cr8(Vcpu& v, u64 value);

// RDPMC: CPUID offers no performance counters, so #GP, as for a counter
// that does not exist. (The host's counters count for every zone.)
Emulation rdpmc(Vcpu& v);

// The MSRs a zone may use beyond those the back end passes through. The
// back end keeps EFER and PAT in its control block; the local APIC's go to
// lapic_msr() (vcpu_interrupts.hpp); IA32_TSC_AUX is per vCPU
// (tsc_aux.hpp); everything else refused gets #GP (logged).
enum class MsrKind { refused, efer, pat, tsc, tsc_aux, lapic, misc_enable };
MsrKind classify_msr(u32 msr, bool write);
bool efer_write_valid(u64 value);
bool pat_valid(u64 value);
void log_refused_msr(Vcpu& v, u32 msr, bool write, u64 value);

} // namespace bh::x86_64
