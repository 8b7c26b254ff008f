/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EL1 exception vectors. Every entry saves x0-x30, ELR_EL1 and SPSR_EL1 in a
 * frame on the current stack and calls bh_exception(kind, frame); the handler
 * may change the saved ELR (to skip a faulting instruction). Only the
 * "current EL with SP_ELx" sync and IRQ entries are expected; the rest end up
 * in the crash report.
 */
#define FRAME_SIZE (17 * 16) /* x0-x29, x30+ELR, SPSR+pad */

.macro ventry kind
    .balign 0x80
    sub sp, sp, #FRAME_SIZE
    stp x0, x1, [sp, #16 * 0]
    mov x0, #\kind
    b bh_exception_entry
.endm

    .section .text.vectors, "ax"
    .balign 2048
    .global bh_vectors
bh_vectors:
    ventry 0   /* current EL, SP_EL0: sync */
    ventry 1   /* irq */
    ventry 2   /* fiq */
    ventry 3   /* serror */
    ventry 4   /* current EL, SP_ELx: sync */
    ventry 5   /* irq */
    ventry 6   /* fiq */
    ventry 7   /* serror */
    ventry 8   /* lower EL, AArch64 */
    ventry 9
    ventry 10
    ventry 11
    ventry 12  /* lower EL, AArch32 */
    ventry 13
    ventry 14
    ventry 15

bh_exception_entry:
    stp x2, x3, [sp, #16 * 1]
    stp x4, x5, [sp, #16 * 2]
    stp x6, x7, [sp, #16 * 3]
    stp x8, x9, [sp, #16 * 4]
    stp x10, x11, [sp, #16 * 5]
    stp x12, x13, [sp, #16 * 6]
    stp x14, x15, [sp, #16 * 7]
    stp x16, x17, [sp, #16 * 8]
    stp x18, x19, [sp, #16 * 9]
    stp x20, x21, [sp, #16 * 10]
    stp x22, x23, [sp, #16 * 11]
    stp x24, x25, [sp, #16 * 12]
    stp x26, x27, [sp, #16 * 13]
    stp x28, x29, [sp, #16 * 14]
    mrs x1, elr_el1
    stp x30, x1, [sp, #16 * 15]
    mrs x1, spsr_el1
    str x1, [sp, #16 * 16]
    mov x1, sp
    bl bh_exception
    ldp x30, x1, [sp, #16 * 15]
    msr elr_el1, x1
    ldr x1, [sp, #16 * 16]
    msr spsr_el1, x1
    ldp x2, x3, [sp, #16 * 1]
    ldp x4, x5, [sp, #16 * 2]
    ldp x6, x7, [sp, #16 * 3]
    ldp x8, x9, [sp, #16 * 4]
    ldp x10, x11, [sp, #16 * 5]
    ldp x12, x13, [sp, #16 * 6]
    ldp x14, x15, [sp, #16 * 7]
    ldp x16, x17, [sp, #16 * 8]
    ldp x18, x19, [sp, #16 * 9]
    ldp x20, x21, [sp, #16 * 10]
    ldp x22, x23, [sp, #16 * 11]
    ldp x24, x25, [sp, #16 * 12]
    ldp x26, x27, [sp, #16 * 13]
    ldp x28, x29, [sp, #16 * 14]
    ldp x0, x1, [sp, #16 * 0]
    add sp, sp, #FRAME_SIZE
    eret
