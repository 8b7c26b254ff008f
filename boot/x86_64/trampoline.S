/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The application processors' start: copied to BH_TRAMPOLINE_BASE and
 * entered in real mode by a STARTUP IPI (vector BH_TRAMPOLINE_BASE >> 12).
 * It switches straight to long mode with the hypervisor's page tables and
 * jumps to x86_64_boot_secondary(index) on that CPU's stack. The boot CPU
 * fills in the three parameters below before each STARTUP IPI, and starts
 * one CPU at a time, so one copy serves them all.
 */
#include "asm_defs.h"

#define T(label) (BH_TRAMPOLINE_BASE + (label) - trampoline_start)

    .section .rodata.trampoline, "a"
    .balign 16
    .global trampoline_start
trampoline_start:
    .code16
    cli
    cld
    mov     %cs, %ax
    mov     %ax, %ds
    lgdtl   tramp_gdt_ptr - trampoline_start
    mov     %cr0, %eax
    or      $1, %eax
    mov     %eax, %cr0
    ljmpl   $0x08, $T(tramp32)

    .code32
tramp32:
    mov     $0x10, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    mov     %cr4, %eax
    or      $0x20, %eax /* PAE */
    mov     %eax, %cr4
    mov     T(trampoline_cr3), %eax
    mov     %eax, %cr3
    mov     $0xc0000080, %ecx
    rdmsr
    or      $0x900, %eax /* EFER.LME, EFER.NXE */
    wrmsr
    mov     %cr0, %eax
    or      $0x80010001, %eax /* PG, WP, PE */
    mov     %eax, %cr0
    ljmp    $0x18, $T(tramp64)

    .code64
tramp64:
    mov     T(trampoline_stack), %rsp
    mov     T(trampoline_cpu), %edi
    mov     T(trampoline_entry), %rax
    xor     %ebp, %ebp
    jmp     *%rax

    .balign 8
tramp_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff /* 0x08: 32-bit code */
    .quad 0x00cf92000000ffff /* 0x10: data */
    .quad 0x00af9a000000ffff /* 0x18: 64-bit code */
tramp_gdt_ptr:
    .short tramp_gdt_ptr - tramp_gdt - 1
    .long T(tramp_gdt)

    .balign 8
    .global trampoline_cr3, trampoline_stack, trampoline_cpu, trampoline_entry
trampoline_cr3:
    .quad 0
trampoline_stack:
    .quad 0
trampoline_cpu:
    .quad 0
trampoline_entry:
    .quad 0
    .global trampoline_end
trampoline_end:
