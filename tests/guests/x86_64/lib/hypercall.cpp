// SPDX-License-Identifier: GPL-2.0-only
// Which instruction makes a hypercall comes from CPUID: Bulkhead's
// signature at leaf 0x40000000, the instruction at 0x40000001 (1 VMMCALL,
// 2 VMCALL). Without Bulkhead every call returns NOT_SUPPORTED.
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>

namespace bh {
namespace {

enum : int { kUnknown = -1, kNone = 0, kVmmcall = 1, kVmcall = 2 };
volatile int insn = kUnknown; // BSS-free constant initialisation

int detect() {
    Cpuid sig = cpuid(0x40000000);
    if (sig.ebx != 0x6b6c7542 || sig.ecx != 0x64616568 || sig.edx != 0x20205648) return kNone;
    u32 which = cpuid(0x40000001).eax;
    return which == 1 ? kVmmcall : which == 2 ? kVmcall : kNone;
}

} // namespace

HcResult hypercall(u64 fn, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6) {
    if (insn == kUnknown) insn = detect();
    register u64 rax asm("rax") = fn;
    register u64 rdi asm("rdi") = a1;
    register u64 rsi asm("rsi") = a2;
    register u64 rdx asm("rdx") = a3;
    register u64 r10 asm("r10") = a4;
    register u64 r8 asm("r8") = a5;
    register u64 r9 asm("r9") = a6;
    if (insn == kVmmcall)
        asm volatile("vmmcall" : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10) : "r"(r8), "r"(r9) : "memory");
    else if (insn == kVmcall)
        asm volatile("vmcall" : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10) : "r"(r8), "r"(r9) : "memory");
    else
        return {BH_ERR_NOT_SUPPORTED, 0, 0, 0, 0};
    return {static_cast<i64>(rax), rdi, rsi, rdx, r10};
}

namespace hc {
bool in_zone() { return version().status == BH_OK; }
} // namespace hc

} // namespace bh
