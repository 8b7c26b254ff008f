/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Instruction forms a zone may use on its xAPIC page, each in a function
 * of its own taking the page's address in RDI. The hypervisor decodes
 * whatever the guest executes, so the forms are spelled out here rather
 * than left to the compiler.
 */
.macro fn name
    .text
    .global \name
    .type \name, @function
\name:
.endm

/* u32 apic_read_sib(u64 page): a SIB address with an index register. */
fn apic_read_sib
    xor     %ecx, %ecx
    movl    0x30(%rdi,%rcx,1), %eax
    ret

/* u32 apic_read_r9(u64 page): REX.R destination. */
fn apic_read_r9
    push    %r9
    movl    0x30(%rdi), %r9d
    mov     %r9d, %eax
    pop     %r9
    ret

/* u32 apic_read_byte(u64 page, u64 offset): MOVZX from one byte. */
fn apic_read_byte
    movzbl  (%rdi,%rsi,1), %eax
    ret

/* u32 apic_read_word(u64 page, u64 offset): a 16-bit load with 0x66. */
fn apic_read_word
    xor     %eax, %eax
    movw    (%rdi,%rsi,1), %ax
    ret

/* void apic_write_tpr_imm(u64 page): MOV of an immediate to memory. */
fn apic_write_tpr_imm
    movl    $0x20, 0x80(%rdi)
    ret

/* u32 apic_read_straddling(u64 page): the load's bytes span two pages. */
    .section .text.straddle, "ax"
    .balign 4096
    .skip 4095, 0x90
    .global apic_read_straddling
    .type apic_read_straddling, @function
apic_read_straddling:
    movl    0x30(%rdi), %eax  /* 8b 47 30: the first byte ends one page */
    ret
    .balign 4096
