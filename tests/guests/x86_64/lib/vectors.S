/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry stubs for all 256 vectors, 16 bytes apart, into bh_exception(frame):
 * exceptions (0-31) and interrupts (32-255, which push a zero error code).
 */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

    .text
    .balign 16
    .global bh_exception_stubs
bh_exception_stubs:
    vector = 0
    .rept 256
    .balign 16
    .if vector >= 32 || !HAS_ERROR_CODE(vector)
    pushq   $0
    .endif
    pushq   $vector
    jmp     exception_common
    vector = vector + 1
    .endr

exception_common:
    push    %rax
    push    %rbx
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %rbp
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, %rdi
    cld
    call    bh_exception
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rbp
    pop     %rdi
    pop     %rsi
    pop     %rdx
    pop     %rcx
    pop     %rbx
    pop     %rax
    add     $16, %rsp
    iretq
