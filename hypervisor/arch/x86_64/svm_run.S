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
#include "guest_gprs.inc"

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
    load_guest_gprs_except_rax_rdi
    mov     REG(7)(%rdi), %rdi
    vmload  %rax
    clgi
    sti
    /* STI's interrupt shadow ends here, not on VMRUN: QEMU's TCG carries
     * a shadow that VMRUN is in over into the guest, which then takes no
     * virtual interrupt (V_IRQ) until its first block of code has run. */
    nop
    vmrun   %rax
    vmsave  %rax                    /* RAX is the host's again: the VMCB */
    push    %rdi
    mov     16(%rsp), %rdi          /* regs */
    store_guest_gprs_except_rax_rdi
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
