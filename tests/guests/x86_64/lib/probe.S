/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The single accesses behind bh::probe. Each faulting instruction has a
 * global label and a "_done" label after it, so the exception handler can
 * tell a probed fault from a real crash and resume after it. Reads preload
 * a 64-bit poison that no 32-bit load can produce.
 */
.macro probe_fn name
    .section .text.\name, "ax"
    .global \name
    .type \name, @function
\name:
.endm

probe_fn bh_probe_read32
    movabs  $0xffffffffbad0bad0, %rax
    .global bh_probe_read32_insn, bh_probe_read32_done
bh_probe_read32_insn:
    movl    (%rdi), %eax
bh_probe_read32_done:
    ret

probe_fn bh_probe_write32
    .global bh_probe_write32_insn, bh_probe_write32_done
bh_probe_write32_insn:
    movl    %esi, (%rdi)
bh_probe_write32_done:
    ret

/* void bh_probe_add32(u64 addr, u32 value): a read-modify-write. */
probe_fn bh_probe_add32
    .global bh_probe_add32_insn, bh_probe_add32_done
bh_probe_add32_insn:
    addl    %esi, (%rdi)
bh_probe_add32_done:
    ret

/* void bh_probe_movs32(u64 addr): a string move from addr to the stack. */
probe_fn bh_probe_movs32
    sub     $16, %rsp
    mov     %rdi, %rsi
    mov     %rsp, %rdi
    .global bh_probe_movs32_insn, bh_probe_movs32_done
bh_probe_movs32_insn:
    movsl
bh_probe_movs32_done:
    add     $16, %rsp
    ret

/* u64 bh_probe_rdmsr(u32 msr) */
probe_fn bh_probe_rdmsr
    mov     %edi, %ecx
    movabs  $0xffffffffbad0bad0, %rax
    xor     %edx, %edx
    .global bh_probe_rdmsr_insn, bh_probe_rdmsr_done
bh_probe_rdmsr_insn:
    rdmsr
bh_probe_rdmsr_done:
    shl     $32, %rdx
    mov     %eax, %eax
    or      %rdx, %rax
    ret

/* void bh_probe_wrmsr(u32 msr, u64 value) */
probe_fn bh_probe_wrmsr
    mov     %edi, %ecx
    mov     %esi, %eax
    mov     %rsi, %rdx
    shr     $32, %rdx
    .global bh_probe_wrmsr_insn, bh_probe_wrmsr_done
bh_probe_wrmsr_insn:
    wrmsr
bh_probe_wrmsr_done:
    ret

/* void bh_probe_exec(u64 addr): a fetch fault there returns to _ret. */
probe_fn bh_probe_exec
    .global bh_probe_exec_ret
    call    *%rdi
bh_probe_exec_ret:
    ret

/*
 * u64 bh_probe_call(u64 (*fn)(u64), u64 arg, u64* saved_rsp): fn(arg). An
 * exception anywhere inside fn resumes at bh_probe_call_landing with the
 * stack pointer stored in *saved_rsp, i.e. as if fn had returned.
 */
probe_fn bh_probe_call
    push    %rbp
    push    %rbx
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    sub     $8, %rsp                /* the call below sees a 16-byte aligned stack */
    mov     %rsp, (%rdx)
    mov     %rdi, %rax
    mov     %rsi, %rdi
    call    *%rax
    .global bh_probe_call_landing
bh_probe_call_landing:
    add     $8, %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbx
    pop     %rbp
    ret
