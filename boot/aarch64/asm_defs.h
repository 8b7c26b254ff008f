/* SPDX-License-Identifier: GPL-2.0-only */
/* Constants shared by the assembly and C++ (static_asserts keep them equal). */
#ifndef BULKHEAD_ASM_DEFS_H
#define BULKHEAD_ASM_DEFS_H

#define BH_TEXT_OFFSET 0x200000 /* QEMU virt: loaded at 0x40200000 */
#define BH_LINK_ADDRESS 0x40200000
#define BH_MAX_CPUS 8
#define BH_STACK_SHIFT 14 /* 16 KiB per CPU */

#define BH_EXIT_KIND_SYNC 0
#define BH_EXIT_KIND_IRQ 1
#define BH_EXIT_KIND_FIQ 2
#define BH_EXIT_KIND_SERROR 3

#endif
