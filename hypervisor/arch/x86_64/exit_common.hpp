// SPDX-License-Identifier: GPL-2.0-only
// Exit handling shared by the SVM and (later) VMX back ends: what a zone
// sees of CPUID (leaves 0x40000000: signature "BulkheadHV  ", 0x40000001:
// EAX = the hypercall instruction, 0x40000010: EAX = TSC kHz), which MSRs it may use, port I/O and hypercalls. Each back
// end decodes its own exit information into these calls and applies the
// results to its own control block.
#pragma once

#include <arch/x86.hpp>
#include <bulkhead/types.hpp>

namespace bh {
struct Vcpu;
}

namespace bh::x86_64 {

// Which instruction makes a hypercall on this back end (reported to zones
// in CPUID leaf 0x40000001).
enum class HypercallInsn : u32 { vmmcall = 1, vmcall = 2 };

// CPUID as a zone sees it: no VMX/SVM, no features whose state or MSRs the
// hypervisor does not switch or emulate, Bulkhead's leaves at 0x40000000.
x86::CpuidResult cpuid_for_zone(const Vcpu& v, u32 leaf, u32 subleaf, HypercallInsn insn);

// BH_HC_* with the function ID in RAX and arguments in RDI, RSI, RDX, R10,
// R8, R9; status back in RAX, results in RDI, RSI, RDX, R10.
void hypercall(Vcpu& v);

// IN/OUT (not the string forms) of `size` bytes at `port`: the zone's
// devices, else reads return all ones and writes are dropped (logged).
void port_io(Vcpu& v, u16 port, u8 size, bool write);

// MSRs a zone may use beyond those the back end passes through. The back
// end keeps EFER and PAT in its control block; the local APIC's go to
// lapic_msr() (vcpu_interrupts.hpp); everything else refused gets #GP
// (logged).
enum class MsrKind { refused, efer, pat, tsc, lapic };
MsrKind classify_msr(u32 msr, bool write);
bool efer_write_valid(u64 value);
bool pat_valid(u64 value);
void log_refused_msr(Vcpu& v, u32 msr, bool write, u64 value);

} // namespace bh::x86_64
