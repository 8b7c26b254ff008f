/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where a STARTUP IPI starts a vCPU: real mode at (vector << 12). The BSP
 * copies this blob to kTrampoline (below 1 MiB) and fills its data words;
 * it then goes 16-bit -> 32-bit protected -> 64-bit long mode with the
 * BSP's page tables and EFER, and jumps to entry64 with RDI = stack_top.
 * Everything it addresses is relative to where it was copied.
 */
#define TRAMPOLINE 0x8000
#define AT(sym) (TRAMPOLINE + (sym - sipi_trampoline))

    .section .rodata.sipi, "a"
    .balign 16
    .global sipi_trampoline, sipi_trampoline_end
    .global sipi_cr3, sipi_efer, sipi_entry64, sipi_stack_top
sipi_trampoline:
    .code16
    cli
    cld
    xor     %ax, %ax
    mov     %ax, %ds
    lgdtl   AT(gdt_ptr)
    mov     %cr0, %eax
    or      $1, %eax                    /* PE */
    mov     %eax, %cr0
    ljmpl   $0x08, $AT(protected32)

    .code32
protected32:
    mov     $0x10, %ax
    mov     %ax, %ds
    mov     %ax, %es
    mov     %ax, %ss
    mov     %cr4, %eax
    or      $0x220, %eax                /* PAE, OSFXSR */
    mov     %eax, %cr4
    mov     AT(sipi_cr3), %eax
    mov     %eax, %cr3
    mov     $0xc0000080, %ecx           /* EFER: LME, NXE as the BSP has them */
    mov     AT(sipi_efer), %eax
    xor     %edx, %edx
    wrmsr
    mov     %cr0, %eax
    or      $0x80000000, %eax           /* PG: long mode becomes active */
    mov     %eax, %cr0
    ljmpl   $0x18, $AT(long64)

    .code64
long64:
    mov     $0x10, %eax
    mov     %eax, %ds
    mov     %eax, %ss
    mov     AT(sipi_stack_top), %rdi
    mov     AT(sipi_entry64), %rax
    jmp     *%rax

    .balign 8
gdt:
    .quad 0
    .quad 0x00cf9a000000ffff            /* 0x08: 32-bit code */
    .quad 0x00cf92000000ffff            /* 0x10: data */
    .quad 0x00af9a000000ffff            /* 0x18: 64-bit code */
gdt_end:
gdt_ptr:
    .short gdt_end - gdt - 1
    .long AT(gdt)
    .balign 8
sipi_cr3:       .quad 0
sipi_efer:      .quad 0
sipi_entry64:   .quad 0
sipi_stack_top: .quad 0
sipi_trampoline_end:
