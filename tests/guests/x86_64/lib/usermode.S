/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * u64 bh_user_call(u64 (*fn)(u64), u64 arg, u64 user_stack_top)
 *
 * Enters CPL 3 with IRETQ at a stub that calls fn(arg) and then executes
 * INT 0x80. That vector's gate (DPL 3, set by usermode.cpp) lands at
 * bh_user_return on the TSS's RSP0 stack, at CPL 0, which drops that frame
 * and returns to our caller with fn's result in RAX.
 */
#define USER_CS 0x23
#define USER_SS 0x1b
#define KERNEL_DS 0x10
#define RFLAGS_FIXED 0x2 /* IF = 0, IOPL = 0 */

    .text
    .global bh_user_call
    .type bh_user_call, @function
bh_user_call:
    pushfq
    push    %rbp
    push    %rbx
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, bh_user_saved_rsp(%rip)
    pushq   $USER_SS
    pushq   %rdx
    pushq   $RFLAGS_FIXED
    pushq   $USER_CS
    lea     bh_user_stub(%rip), %rax
    pushq   %rax
    mov     %rdi, %rax
    mov     %rsi, %rdi
    iretq

    /* CPL 3 from here. */
bh_user_stub:
    call    *%rax
    int     $0x80
    ud2

    .global bh_user_return
    .type bh_user_return, @function
bh_user_return:
    /* CPL 0 again; the frame INT pushed on the RSP0 stack is not needed. */
    mov     bh_user_saved_rsp(%rip), %rsp
    mov     $KERNEL_DS, %ecx
    mov     %ecx, %ds
    mov     %ecx, %es
    mov     %ecx, %ss
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbx
    pop     %rbp
    popfq
    ret
    .size bh_user_call, . - bh_user_call

    .bss
    .balign 8
bh_user_saved_rsp:
    .quad 0
