/* SPDX-License-Identifier: GPL-2.0-only */
/* Constants shared by the x86-64 assembly and C++ (static_asserts keep them equal). */
#ifndef BULKHEAD_X86_ASM_DEFS_H
#define BULKHEAD_X86_ASM_DEFS_H

#define BH_LINK_ADDRESS 0x200000 /* GRUB loads the ELF here; run identity-mapped */
#define BH_MAX_CPUS 8
#define BH_STACK_SHIFT 14 /* 16 KiB per CPU */

/* Selectors of the hypervisor's GDT (descriptors.cpp builds the same layout). */
#define BH_SEL_CODE64 0x08
#define BH_SEL_DATA 0x10
#define BH_SEL_TSS 0x18

/* The application processors' real-mode start page (below 1 MiB, 4 KiB aligned). */
#define BH_TRAMPOLINE_BASE 0x8000

/* Multiboot2 (the Multiboot2 specification, 3.1 and 3.2). */
#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_BOOTLOADER_MAGIC 0x36d76289

/* Interrupt vectors the hypervisor uses on its own CPUs. */
#define BH_VECTOR_TIMER 0xf0
#define BH_VECTOR_KICK 0xf1
#define BH_VECTOR_POKE 0xf2
#define BH_VECTOR_CONSOLE 0xf3
#define BH_VECTOR_SPURIOUS 0xff

#endif
