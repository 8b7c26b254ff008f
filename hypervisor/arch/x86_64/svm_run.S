/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * void svm_run(GuestRegs* regs, u64 vmcb_pa, u64 host_vmsave_pa)
 *
 * Runs the vCPU until its next #VMEXIT. VMRUN switches RAX, RSP, RIP,
 * RFLAGS and the control registers itself; the other general registers are
 * loaded from and saved to `regs` here, and VMLOAD/VMSAVE switch the hidden
 * state VMRUN leaves alone (FS, GS and their bases, TR, LDTR, the SYSCALL
 * and SYSENTER MSRs), with the host's kept in its own area: the hypervisor
 * finds its per-CPU data through the GS base.
 *
 * Interrupts: the hypervisor runs with RFLAGS.IF = 0. Around VMRUN, GIF = 0
 * and IF = 1, so that with V_INTR_MASKING a physical interrupt arriving in
 * the guest causes an INTR exit; after the exit it stays pending in the
 * APIC (IF = 0 again before STGI) until the exit handler polls for it.
 */
#define REG(n) (8 * (n))

    .text
    .global svm_run
    .type svm_run, @function
svm_run:
    push    %rbp
    push    %rbx
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    push    %rdi                    /* regs */
    push    %rdx                    /* host VMSAVE area */
    mov     %rdx, %rax
    vmsave  %rax
    mov     %rsi, %rax              /* VMCB */
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
    vmload  %rax
    clgi
    sti
    vmrun   %rax
    vmsave  %rax                    /* RAX is the host's again: the VMCB */
    push    %rdi
    mov     16(%rsp), %rdi          /* regs */
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
    pop     %rax                    /* host VMSAVE area */
    vmload  %rax
    cli
    stgi
    pop     %rdi
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbx
    pop     %rbp
    ret
    .size svm_run, . - svm_run
