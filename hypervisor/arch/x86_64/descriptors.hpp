// SPDX-License-Identifier: GPL-2.0-only
// The hypervisor's GDT (one per CPU, with its TSS) and its IDT (shared).
#pragma once

#include <bulkhead/types.hpp>

namespace bh::x86_64 {

// What interrupt_entry.S saves, lowest address first.
struct InterruptFrame {
    u64 r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    u64 vector, error;
    u64 rip, cs, rflags, rsp, ss; // pushed by the CPU
};
static_assert(sizeof(InterruptFrame) == 22 * 8, "interrupt_entry.S frame");

// Loads this CPU's GDT, TSS and the IDT; reloads the segment registers.
// Clears the GS base (callers set it afterwards).
void descriptors_init_cpu(unsigned index);

// For the VMX host-state area.
u64 gdt_base(unsigned index);
u64 tss_base(unsigned index);
u64 idt_base();

} // namespace bh::x86_64
