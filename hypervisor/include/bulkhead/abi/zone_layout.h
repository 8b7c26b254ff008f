/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where a zone's virtio-mmio slots are, per architecture: the contract
 * between the hypervisor (which emulates them: VirtioMmioSlots, from each
 * architecture's ZonePlatform, static_assert'ed against these numbers) and
 * the control domain (its driver places ioeventfds on QueueNotify, zoned's
 * backends decode the addresses of I/O requests and raise slot lines with
 * BH_HC_ZONE_IRQ). Both sides pick their architecture's set; nothing here
 * depends on the compiler's target, so the hypervisor's generic code and the
 * host's unit tests see both.
 *
 * arm64: QEMU virt's place, 0x0a000000, slot i raising SPI 16 + i (INTID
 * 48 + i).
 * x86-64: QEMU microvm's place, 0xfeb00000, just below the I/O APIC in the
 * PC's 32-bit hole (RAM from 0 may reach 3 GiB); slot i raising I/O APIC
 * pin (GSI) 24 + i, above the 24 lines a PC's I/O APIC has (ISA 0-15, PCI
 * INTx 16-23, kept free for devices passed through to a control domain).
 */
#ifndef BULKHEAD_ABI_ZONE_LAYOUT_H
#define BULKHEAD_ABI_ZONE_LAYOUT_H

#define BH_VIRTIO_SLOTS 32u              /* slots per zone */
#define BH_VIRTIO_SLOT_SIZE 0x200u       /* bytes of registers per slot */
#define BH_VIRTIO_QUEUE_NOTIFY 0x050u    /* the doorbell, in a slot */

#define BH_ZONE_RAM_BASE 0x40000000u     /* a ZONE_CREATE zone's RAM, either architecture */

#define BH_ARM64_LINUX_RAM_BASE 0x40000000u /* with BH_ZONE_CREATE_LINUX */
#define BH_ARM64_VIRTIO_BASE 0x0a000000u /* slot 0's registers */
#define BH_ARM64_VIRTIO_FIRST_LINE 16u   /* slot i raises line first + i */
#define BH_ARM64_EVENT_LINE 63u          /* the hypervisor's event line: SPI 63 */

#define BH_X86_64_LINUX_RAM_BASE 0u      /* with BH_ZONE_CREATE_LINUX: memory below 1 MiB */
#define BH_X86_64_VIRTIO_BASE 0xfeb00000u
#define BH_X86_64_VIRTIO_FIRST_LINE 24u  /* GSI 24 + slot */
#define BH_X86_64_EVENT_LINE 56u         /* GSI 56, the first after the slots */

#endif
