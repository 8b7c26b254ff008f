/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of every x86-64 test zone. Bulkhead starts vCPU 0 in 64-bit mode
 * with paging on (its identity map), RDI = the start argument, interrupts
 * off, no usable GDT or IDT. We load our own GDT and IDT, move to our own
 * stack, clear BSS and call bh_boot_main(rdi). Further vCPUs, started
 * with BH_HC_VCPU_ON (smp.cpp), enter bh_secondary_start with RDI = the top
 * of the stack smp::start_vcpu set aside for them.
 */
#define STACK_SIZE 0x4000

/* Our GDT, CS = 0x08 by a far return, the data selectors = 0x10. */
.macro load_gdt_and_segments
    lgdt    bh_gdt_ptr(%rip)
    pushq   $0x08
    lea     1f(%rip), %rax
    pushq   %rax
    lretq
1:  mov     $0x10, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    mov     %eax, %fs
    mov     %eax, %gs
.endm

    .section .text.boot, "ax"
    .code64
    .global _start
    .type _start, @function
_start:
    cli
    cld
    mov     %rdi, %r12
    lea     bh_stack_top(%rip), %rsp
    load_gdt_and_segments
    lea     __bss_start(%rip), %rdi
    lea     __bss_end(%rip), %rcx
    sub     %rdi, %rcx
    xor     %eax, %eax
    rep stosb
    call    bh_idt_init
    mov     %r12, %rdi
    call    bh_boot_main
2:  hlt
    jmp     2b
    .size _start, . - _start

    .balign 16
    .global bh_secondary_start
    .type bh_secondary_start, @function
bh_secondary_start:
    cli
    cld
    mov     %rdi, %rsp
    load_gdt_and_segments
    call    bh_idt_load
    call    bh_secondary_main
2:  cli
    hlt
    jmp     2b
    .size bh_secondary_start, . - bh_secondary_start

    .section .rodata.gdt, "a"
    .balign 16
bh_gdt:
    .quad 0
    .quad 0x00af9a000000ffff /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff /* 0x10: data */
bh_gdt_end:
    .balign 8
bh_gdt_ptr:
    .short bh_gdt_end - bh_gdt - 1
    .quad bh_gdt

    .section .stacks, "aw", @nobits
    .balign 16
    .space STACK_SIZE
bh_stack_top:
