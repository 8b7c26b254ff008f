// SPDX-License-Identifier: GPL-2.0-only
// Linux arm64 Image header and the first instructions of every CPU.
// The header lets QEMU -kernel and U-Boot booti load Bulkhead like a Linux
// kernel: at text_offset past a 2 MiB aligned base near the start of RAM,
// entered at EL2 with the DTB's physical address in x0.

#include "asm_defs.h"

    .section .text.head, "ax"
    .global _start
_start:
    b       primary_entry              // code0
    .long   0                          // code1
    .quad   BH_TEXT_OFFSET             // text_offset
    .quad   __image_size               // image_size, including BSS
    .quad   0x2                        // flags: little endian, 4 KiB pages, 2 MiB aligned base
    .quad   0, 0, 0                    // res2..res4
    .ascii  "ARM\x64"                  // magic
    .long   0                          // res5

    .text
primary_entry:
    msr     daifset, #0xf
    mov     x19, x0                    // DTB
    mrs     x1, CurrentEL
    cmp     x1, #(2 << 2)
    b.ne    park                       // Bulkhead needs to start at EL2
    adr     x1, _start
    ldr     x2, =_start
    cmp     x1, x2
    b.ne    park                       // loaded somewhere it was not linked for
    msr     spsel, #1
    ldr     x1, =el2_vectors
    msr     vbar_el2, x1
    isb
    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
1:  cmp     x1, x2
    b.hs    2f
    str     xzr, [x1], #8
    b       1b
2:  mov     x0, #0
    bl      stack_top_for
    mov     sp, x0
    mov     x0, x19
    bl      aarch64_boot_primary       // does not return

    // PSCI CPU_ON lands here with x0 = the CPU's index.
    .global secondary_entry
secondary_entry:
    msr     daifset, #0xf
    mov     x19, x0
    msr     spsel, #1
    ldr     x1, =el2_vectors
    msr     vbar_el2, x1
    isb
    bl      stack_top_for
    mov     sp, x0
    mov     x0, x19
    bl      aarch64_boot_secondary     // does not return

park:
    wfe
    b       park

// x0 = CPU index -> x0 = top of its stack. Clobbers x1.
stack_top_for:
    add     x0, x0, #1
    lsl     x0, x0, #BH_STACK_SHIFT
    ldr     x1, =hyp_stacks
    add     x0, x0, x1
    ret

    .section .bss.stacks, "aw", %nobits
    .balign 4096
    .global hyp_stacks
hyp_stacks:
    .space  (BH_MAX_CPUS << BH_STACK_SHIFT)
