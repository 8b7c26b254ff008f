/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of every test zone, for the boot vCPU and for vCPUs started with
 * PSCI CPU_ON alike: EL1h, MMU off, IRQs masked, x0 = 0 or the CPU_ON
 * context. Each vCPU takes the stack indexed by its MPIDR Aff0; vCPU 0
 * clears BSS before any C++ runs (secondaries only start once vCPU 0 asks).
 */
#define STACK_SIZE 0x4000
#define MAX_VCPUS 8

    .section .text.boot, "ax"
    .global _start
    .type _start, %function
_start:
    mov x19, x0
    msr daifset, #0xf
    mrs x20, mpidr_el1
    and x20, x20, #0xff
    cmp x20, #MAX_VCPUS
    b.hs park

    adrp x1, bh_stacks_end
    add x1, x1, :lo12:bh_stacks_end
    mov x2, #STACK_SIZE
    msub x1, x20, x2, x1
    mov sp, x1
    mov x29, xzr
    mov x30, xzr

    adrp x1, bh_vectors
    add x1, x1, :lo12:bh_vectors
    msr vbar_el1, x1
    isb

    cbnz x20, secondary

    adrp x1, __bss_start
    add x1, x1, :lo12:__bss_start
    adrp x2, __bss_end
    add x2, x2, :lo12:__bss_end
1:  cmp x1, x2
    b.hs 2f
    stp xzr, xzr, [x1], #16
    b 1b
2:  dsb sy
    mov x0, x19
    bl bh_boot_main
    b park

secondary:
    mov x0, x19
    bl bh_secondary_main
park:
    wfi
    b park
    .size _start, . - _start

    .section .stacks, "aw", %nobits
    .balign 16
    .space STACK_SIZE * MAX_VCPUS
bh_stacks_end:
