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
#define REG(n) (8 * (n))
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
    mov     REG(1)(%rdi), %rcx
    mov     REG(2)(%rdi), %rdx
    mov     REG(3)(%rdi), %rbx
    mov     REG(5)(%rdi), %rbp
    mov     REG(6)(%rdi), %rsi
    mov     REG(8)(%rdi), %r8
    mov     REG(9)(%rdi), %r9
    mov     REG(10)(%rdi), %r10
    mov     REG(11)(%rdi), %r11
    mov     REG(12)(%rdi), %r12
    mov     REG(13)(%rdi), %r13
    mov     REG(14)(%rdi), %r14
    mov     REG(15)(%rdi), %r15
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
    mov     %rcx, REG(1)(%rdi)
    mov     %rdx, REG(2)(%rdi)
    mov     %rbx, REG(3)(%rdi)
    mov     %rbp, REG(5)(%rdi)
    mov     %rsi, REG(6)(%rdi)
    mov     %r8, REG(8)(%rdi)
    mov     %r9, REG(9)(%rdi)
    mov     %r10, REG(10)(%rdi)
    mov     %r11, REG(11)(%rdi)
    mov     %r12, REG(12)(%rdi)
    mov     %r13, REG(13)(%rdi)
    mov     %r14, REG(14)(%rdi)
    mov     %r15, REG(15)(%rdi)
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
