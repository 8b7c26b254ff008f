/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * BH_HC_ZONE_BOOT_LINUX's descriptor: how a control domain makes a zone it
 * created boot Linux. It has loaded the arm64 Image (at the zone's 2 MiB
 * aligned RAM base plus the Image's text_offset) and the initrd with
 * BH_HC_ZONE_LOAD; the hypervisor checks them, writes the zone's device
 * tree (the same libfdt code as for manifest zones) at the top of its RAM
 * and points vCPU 0 at the kernel. docs/hypercalls.md has the rules.
 * Shared by the hypervisor, test guests and the control domain's driver.
 */
#ifndef BULKHEAD_ABI_LINUX_BOOT_H
#define BULKHEAD_ABI_LINUX_BOOT_H

#ifdef __KERNEL__
#include <linux/types.h>
typedef __u64 bh_u64;
typedef __u32 bh_u32;
#else
#include <stdint.h>
typedef uint64_t bh_u64;
typedef uint32_t bh_u32;
#endif

/* In the caller's RAM, followed at once by the strings it counts. */
struct bh_linux_boot {
    bh_u64 kernel_ipa;   /* in the zone: where the Image was loaded */
    bh_u64 kernel_size;  /* bytes of it loaded */
    bh_u64 initrd_ipa;   /* in the zone; both 0: no initrd */
    bh_u64 initrd_size;
    bh_u32 bootargs_len; /* each length counts the terminating NUL(s); 0: absent */
    bh_u32 command_len;  /* the workload zone init runs; 0: none */
    bh_u32 args_len;     /* its arguments: NUL-separated strings */
    bh_u32 env_len;      /* its environment: NUL-separated KEY=VALUE */
    bh_u32 cwd_len;
    bh_u32 reserved;     /* 0 */
};

/* The strings after the descriptor, all together, at most this long. */
#define BH_LINUX_BOOT_STRINGS_MAX 4096u
/* Bytes at the top of the zone's RAM that hold its device tree: the
 * initrd must end below them. */
#define BH_LINUX_BOOT_FDT_BYTES 0x10000u
/* x86-64: bytes at the top of the zone's RAM that hold the hypervisor's
 * start-up page tables: the initrd must end below them. */
#define BH_X86_64_LINUX_BOOT_TABLES_BYTES 0x8000u

#endif
