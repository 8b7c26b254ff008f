/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The single accesses behind bh::probe. Each access instruction has a global
 * label so the exception handler can tell a probed abort from a real crash.
 * Reads preload x0 with a 64-bit poison that no 32-bit load can produce, so
 * an aborted read can never look like data.
 */
.macro probe_fn name
    .section .text.\name, "ax"
    .global \name
    .type \name, %function
\name:
.endm

probe_fn bh_probe_read32
    mov x1, x0
    movz x0, #0xbad0
    movk x0, #0xbad0, lsl #16
    movk x0, #0xffff, lsl #32
    movk x0, #0xffff, lsl #48
    .global bh_probe_read32_insn
bh_probe_read32_insn:
    ldr w0, [x1]
    ret

probe_fn bh_probe_read64
    mov x1, x0
    movz x0, #0xbad0
    movk x0, #0xbad0, lsl #16
    movk x0, #0xbad0, lsl #32
    movk x0, #0xbad0, lsl #48
    .global bh_probe_read64_insn
bh_probe_read64_insn:
    ldr x0, [x1]
    ret

probe_fn bh_probe_write32 /* x0 address, w1 value */
    .global bh_probe_write32_insn
bh_probe_write32_insn:
    str w1, [x0]
    ret

probe_fn bh_probe_write64 /* x0 address, x1 value */
    .global bh_probe_write64_insn
bh_probe_write64_insn:
    str x1, [x0]
    ret

/* Branches to x0 with the return address in x30; the handler of the fetch
 * abort resumes at x30. */
probe_fn bh_probe_exec
    stp x29, x30, [sp, #-16]!
    mov x29, sp
    .global bh_probe_exec_insn
bh_probe_exec_insn:
    blr x0
    ldp x29, x30, [sp], #16
    ret
