/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One 16-byte entry stub per vector: each pushes a zero where the CPU
 * pushes no error code, then the vector, and joins the common path that
 * saves the general registers and calls x86_64_interrupt(frame). The
 * hypervisor runs with interrupts off except where it polls them, so these
 * run on whatever hypervisor stack was current (NMI, #DF, #MC on IST 1).
 */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

    .text
    .balign 16
    .global interrupt_stubs
interrupt_stubs:
    vector = 0
    .rept 256
    .balign 16
    .if !HAS_ERROR_CODE(vector)
    pushq   $0
    .endif
    pushq   $vector
    jmp     interrupt_common
    vector = vector + 1
    .endr

interrupt_common:
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
    call    x86_64_interrupt
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
    add     $16, %rsp /* vector and error code */
    iretq
