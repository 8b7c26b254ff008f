/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * u64 vmx_run(GuestRegs* regs, u64 launched)
 *
 * Enters the vCPU whose VMCS is current (VMLAUNCH the first time after
 * VMPTRLD, VMRESUME after) and returns 0 at its next VM exit, with the
 * general registers saved to `regs`; RSP, RIP and RFLAGS are in the VMCS.
 * Returns 1 if the entry itself failed (VMfail: see VM_INSTRUCTION_ERROR).
 * The host stack pointer at the exit is the one recorded here, so the
 * exit path finds `regs` on top of it. VM exits leave RFLAGS.IF = 0; the
 * external interrupt that caused one stays pending until the handler polls.

 */
#include "guest_gprs.inc"
#define HOST_RSP 0x6c14
#define HOST_RIP 0x6c16

    .text
    .global vmx_run
    .type vmx_run, @function
vmx_run:
    push    %rbp
    push    %rbx
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    push    %rdi                    /* regs, found at (%rsp) after an exit */
    mov     $HOST_RSP, %eax
    vmwrite %rsp, %rax
    lea     vmx_exit_point(%rip), %rdx
    mov     $HOST_RIP, %eax
    vmwrite %rdx, %rax
    test    %rsi, %rsi              /* flags survive the moves below */
    mov     REG(0)(%rdi), %rax
    load_guest_gprs_except_rax_rdi
    mov     REG(7)(%rdi), %rdi
    jnz     1f
    vmlaunch
    jmp     2f
1:  vmresume
2:  pop     %rdi                    /* entry failed: the host's registers hold guest values */
    mov     $1, %eax
    jmp     3f

vmx_exit_point:
    push    %rdi
    mov     8(%rsp), %rdi
    mov     %rax, REG(0)(%rdi)
    store_guest_gprs_except_rax_rdi
    popq    REG(7)(%rdi)
    pop     %rdi
    xor     %eax, %eax
3:  pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbx
    pop     %rbp
    ret
    .size vmx_run, . - vmx_run
