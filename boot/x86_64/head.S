/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multiboot2 header and the boot CPU's first instructions. GRUB (BIOS or
 * UEFI, the same ELF) enters _start in 32-bit protected mode with paging
 * off, EAX = the Multiboot2 magic and EBX = the boot information. We clear
 * BSS, identity-map the first 4 GiB with 2 MiB pages, enable long mode and
 * call C++ on CPU 0's stack; C++ then builds the final page tables.
 */
#include "asm_defs.h"

#define CR0_PE 0x00000001
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define EFER_NXE 0x800

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long 0 /* architecture: i386 protected mode */
    .long mb2_header_end - mb2_header
    .long -(MB2_HEADER_MAGIC + 0 + (mb2_header_end - mb2_header))
    /* Information request (optional entries): memory maps, ACPI RSDPs. */
    .balign 8
1:  .short 1, 1 /* type 1, flags: optional */
    .long 2f - 1b
    .long 6, 14, 15, 17
2:  .balign 8
    .short 0, 0 /* end tag */
    .long 8
mb2_header_end:

    .section .text.boot32, "ax"
    .code32
    .global _start
_start:
    cli
    cld
    mov     %eax, %edi
    mov     %ebx, %esi
    cmp     $MB2_BOOTLOADER_MAGIC, %edi
    jne     park32

    /* BSS first: the boot page tables and stacks live there. */
    mov     $__bss_start, %edi
    mov     $__bss_end, %ecx
    sub     %edi, %ecx
    shr     $2, %ecx
    xor     %eax, %eax
    rep stosl
    mov     $MB2_BOOTLOADER_MAGIC, %edi

    /* Long mode needs CPUID 0x80000001 EDX bit 29. */
    mov     $0x80000000, %eax
    cpuid
    cmp     $0x80000001, %eax
    jb      park32
    mov     $0x80000001, %eax
    cpuid
    bt      $29, %edx
    jnc     park32

    /* PML4[0] -> PDPT; PDPT[0..3] -> PD0..3; PDn[i] = 2 MiB pages. */
    mov     $boot_pdpt, %eax
    or      $3, %eax
    mov     %eax, boot_pml4
    xor     %ecx, %ecx
1:  mov     %ecx, %eax
    shl     $12, %eax
    add     $boot_pd, %eax
    or      $3, %eax
    mov     %eax, boot_pdpt(,%ecx,8)
    inc     %ecx
    cmp     $4, %ecx
    jb      1b
    xor     %ecx, %ecx
2:  mov     %ecx, %eax
    shl     $21, %eax
    or      $0x83, %eax /* present, writable, 2 MiB */
    mov     %eax, boot_pd(,%ecx,8)
    mov     %ecx, %eax
    shr     $11, %eax /* bits 32+ of the address: entry / 2048 */
    mov     %eax, boot_pd+4(,%ecx,8)
    inc     %ecx
    cmp     $2048, %ecx
    jb      2b

    mov     %cr4, %eax
    or      $CR4_PAE, %eax
    mov     %eax, %cr4
    mov     $boot_pml4, %eax
    mov     %eax, %cr3
    mov     $MSR_EFER, %ecx
    rdmsr
    or      $(EFER_LME | EFER_NXE), %eax
    wrmsr
    mov     %cr0, %eax
    or      $(CR0_PE | CR0_PG | CR0_WP), %eax
    mov     %eax, %cr0
    lgdt    boot_gdt_ptr
    ljmp    $BH_SEL_CODE64, $long_entry

park32:
    hlt
    jmp     park32

    .code64
long_entry:
    mov     $BH_SEL_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    xor     %eax, %eax
    mov     %eax, %fs
    mov     %eax, %gs
    lea     hyp_stacks + (1 << BH_STACK_SHIFT)(%rip), %rsp
    xor     %ebp, %ebp
    /* x86_64_boot_primary(mbi, magic) */
    mov     %esi, %esi /* upper halves are undefined after the mode switch */
    mov     %edi, %edi
    xchg    %rdi, %rsi
    call    x86_64_boot_primary
1:  cli
    hlt
    jmp     1b

    .section .rodata.boot_gdt, "a"
    .balign 16
    .global boot_gdt
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff /* 0x08: 64-bit code, DPL 0 */
    .quad 0x00cf92000000ffff /* 0x10: data, DPL 0 */
boot_gdt_end:
    .balign 8
boot_gdt_ptr:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .bss.boot_tables, "aw", @nobits
    .balign 4096
boot_pml4:
    .space 4096
boot_pdpt:
    .space 4096
boot_pd:
    .space 4 * 4096

    .section .bss.stacks, "aw", @nobits
    .balign 4096
    .global hyp_stacks
hyp_stacks:
    .space (BH_MAX_CPUS << BH_STACK_SHIFT)
