// SPDX-License-Identifier: GPL-2.0-only
// EL2 exception vectors and the switch between hypervisor and guest.
//
// On an exit the guest's general registers go straight into the current
// vCPU's frame (PerCpu::guest_regs, at TPIDR_EL2 + 0), the handler runs on a
// fresh stack, and return_to_guest reloads whichever vCPU is current by
// then. There are no hypervisor threads to switch: a vCPU switch is only a
// change of which frame gets loaded.

#include "asm_defs.h"

.macro save_guest kind
    stp     x0, x1, [sp, #-16]!
    mrs     x0, tpidr_el2
    ldr     x0, [x0]
    stp     x2, x3, [x0, #16]
    stp     x4, x5, [x0, #32]
    stp     x6, x7, [x0, #48]
    stp     x8, x9, [x0, #64]
    stp     x10, x11, [x0, #80]
    stp     x12, x13, [x0, #96]
    stp     x14, x15, [x0, #112]
    stp     x16, x17, [x0, #128]
    stp     x18, x19, [x0, #144]
    stp     x20, x21, [x0, #160]
    stp     x22, x23, [x0, #176]
    stp     x24, x25, [x0, #192]
    stp     x26, x27, [x0, #208]
    stp     x28, x29, [x0, #224]
    str     x30, [x0, #240]
    ldp     x2, x3, [sp], #16
    stp     x2, x3, [x0, #0]
    mrs     x2, elr_el2
    mrs     x3, spsr_el2
    stp     x2, x3, [x0, #248]
    mov     x0, #\kind
    bl      aarch64_handle_exit
    b       return_to_guest
.endm

.macro hyp_fault kind
    mov     x0, #\kind
    mov     x1, sp
    b       aarch64_hyp_fault
.endm

    .text
    .balign 2048
    .global el2_vectors
el2_vectors:
    // Current EL with SP_EL0: never used by Bulkhead.
    .balign 128
    hyp_fault 0
    .balign 128
    hyp_fault 1
    .balign 128
    hyp_fault 2
    .balign 128
    hyp_fault 3
    // Current EL with SP_EL2: a hypervisor bug (interrupts stay masked at EL2).
    .balign 128
    hyp_fault 4
    .balign 128
    hyp_fault 5
    .balign 128
    hyp_fault 6
    .balign 128
    hyp_fault 7
    // Lower EL, AArch64: zone exits.
    .balign 128
    save_guest BH_EXIT_KIND_SYNC
    .balign 128
    save_guest BH_EXIT_KIND_IRQ
    .balign 128
    save_guest BH_EXIT_KIND_FIQ
    .balign 128
    save_guest BH_EXIT_KIND_SERROR
    // Lower EL, AArch32: zones cannot run AArch32 (HCR_EL2.RW = 1).
    .balign 128
    hyp_fault 12
    .balign 128
    hyp_fault 13
    .balign 128
    hyp_fault 14
    .balign 128
    hyp_fault 15

    .global return_to_guest
return_to_guest:
    mrs     x0, tpidr_el2
    ldr     x1, [x0, #8]
    mov     sp, x1
    ldr     x0, [x0]
    ldp     x2, x3, [x0, #248]
    msr     elr_el2, x2
    msr     spsr_el2, x3
    ldp     x2, x3, [x0, #16]
    ldp     x4, x5, [x0, #32]
    ldp     x6, x7, [x0, #48]
    ldp     x8, x9, [x0, #64]
    ldp     x10, x11, [x0, #80]
    ldp     x12, x13, [x0, #96]
    ldp     x14, x15, [x0, #112]
    ldp     x16, x17, [x0, #128]
    ldp     x18, x19, [x0, #144]
    ldp     x20, x21, [x0, #160]
    ldp     x22, x23, [x0, #176]
    ldp     x24, x25, [x0, #192]
    ldp     x26, x27, [x0, #208]
    ldp     x28, x29, [x0, #224]
    ldr     x30, [x0, #240]
    ldp     x0, x1, [x0]
    eret
    dsb     nsh
    isb
