/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * /dev/bulkhead: the control domain's interface to the Bulkhead
 * hypervisor's zone-management and control-plane hypercalls
 * (docs/hypercalls.md, 0x10-0x21). Shared by the Linux driver
 * (drivers/linux/bulkhead/) and user space (control/, C and C++).
 *
 * Three kinds of file descriptor:
 *
 * - /dev/bulkhead (mode 0600; open needs CAP_SYS_ADMIN): host information,
 *   creating zones and re-attaching to zones this driver made.
 * - A zone fd (ZONE_CREATE, ZONE_OPEN; O_CLOEXEC): every operation on one
 *   zone and nothing else, so a backend handed only this fd can load, map
 *   and serve only that zone. Closing the last zone fd of a zone stops and
 *   destroys it, unless it is kept (BULKHEAD_ZONE_KEEP): then it lives on
 *   until a later ZONE_OPEN's fd is closed without the flag, or the driver
 *   is unloaded.
 * - An I/O fd (BULKHEAD_ZONE_IOREQ_FD; one per zone at a time): read()
 *   yields whole struct bulkhead_ioreq records, write() takes whole
 *   struct bulkhead_ioreq_completion records; pollable.
 *
 * Errors. A hypervisor status becomes the same errno everywhere:
 *   BH_ERR_NOT_SUPPORTED     -> EOPNOTSUPP
 *   BH_ERR_INVALID_ARGUMENT  -> EINVAL
 *   BH_ERR_PERMISSION_DENIED -> EPERM
 *   BH_ERR_NO_MEMORY         -> ENOMEM
 *   BH_ERR_NOT_FOUND         -> ENOENT  (the zone is gone)
 *   BH_ERR_BAD_STATE         -> EBUSY   (wrong state; ZONE_CREATE: EEXIST,
 *                                        the only cause there is the name)
 *   BH_ERR_BUSY              -> EAGAIN
 *   any other status         -> EIO
 * The driver's own: EFAULT (bad user pointer), EINVAL (a reserved field or
 * flag that is not 0, an argument the driver can check itself, e.g. a load
 * outside the zone's RAM, a slot that is not served), ENOTTY (unknown
 * ioctl), EBUSY (a second I/O fd; UNMAP while mmapped), EEXIST (an eventfd
 * registered twice), EINTR (a fatal signal during a long load).
 *
 * Every struct has explicit sizes and padding; the sizes are fixed ABI and
 * checked at compile time by the driver and the host unit tests.
 */
#ifndef _UAPI_BULKHEAD_H
#define _UAPI_BULKHEAD_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define BULKHEAD_IOCTL_MAGIC 0xBD

#define BULKHEAD_NAME_MAX 31 /* a zone name: 1-31 of a-z 0-9 - _ */

/* ---- /dev/bulkhead ---------------------------------------------------- */

/* BH_HC_HOST_INFO. 24 bytes. */
struct bulkhead_host_info {
	__u32 cpus;		/* online CPUs */
	__u32 zones;		/* zones in any state, the control domain's too */
	__u64 free_bytes;	/* memory the hypervisor has free */
	__u64 total_bytes;	/* memory the hypervisor manages */
};

/* ZONE_CREATE and ZONE_OPEN flags. */
#define BULKHEAD_ZONE_KEEP (1u << 0) /* closing the last zone fd keeps it */
/* RAM where the architecture's Linux zones have it (BH_ZONE_CREATE_LINUX:
 * from 0 on x86-64, which ZONE_BOOT_LINUX needs there; 0x40000000 on arm64,
 * as without it).
 */
#define BULKHEAD_ZONE_LINUX (1u << 1)

/* BH_HC_ZONE_CREATE; the ioctl returns the new zone fd. 56 bytes. */
struct bulkhead_zone_create {
	char name[32];		/* NUL-terminated */
	__u64 ram_bytes;	/* 4 KiB multiple, at most 64 GiB */
	__u32 vcpus;		/* 1-8 */
	__u32 flags;		/* BULKHEAD_ZONE_KEEP, BULKHEAD_ZONE_LINUX */
	__u64 handle;		/* out: the hypervisor's handle */
};

/* Re-attach to a zone this driver made (a restarted zoned); returns a new
 * zone fd. flags: BULKHEAD_ZONE_KEEP sets the zone's keep flag, otherwise
 * it is left as it is. 16 bytes.
 */
struct bulkhead_zone_open {
	__u64 handle;
	__u32 flags;
	__u32 reserved;		/* 0 */
};

/* bulkhead_zone_info.flags */
#define BULKHEAD_INFO_KEPT	(1u << 0) /* survives its last zone fd */
#define BULKHEAD_INFO_ATTACHED	(1u << 1) /* some zone fd is open */
#define BULKHEAD_INFO_ENDED	(1u << 2) /* end_* below are valid */
#define BULKHEAD_INFO_MAPPED	(1u << 3) /* ZONE_MAP is in effect */

/* One zone as the driver knows it (ZONE_LIST, BULKHEAD_ZONE_INFO). The end
 * is what BH_EVENT_ZONE_ENDED reported. 72 bytes.
 */
struct bulkhead_zone_info {
	__u64 handle;
	__u64 ram_bytes;
	char name[32];
	__u32 vcpus;
	__u32 flags;		/* BULKHEAD_INFO_* */
	__u32 end_state;	/* BH_ZONE_* */
	__u32 end_reason;	/* BH_EXIT_* */
	__u64 end_code;
};

/* The zones this driver made and has not destroyed. In: zones points at
 * count entries; out: count is how many exist (only min(in, out) are
 * written). 16 bytes.
 */
struct bulkhead_zone_list {
	__u64 zones;		/* user pointer to struct bulkhead_zone_info[] */
	__u32 count;
	__u32 reserved;		/* 0 */
};

#define BULKHEAD_HOST_INFO   _IOR(BULKHEAD_IOCTL_MAGIC, 0x00, struct bulkhead_host_info)
#define BULKHEAD_ZONE_CREATE _IOWR(BULKHEAD_IOCTL_MAGIC, 0x01, struct bulkhead_zone_create)
#define BULKHEAD_ZONE_OPEN   _IOW(BULKHEAD_IOCTL_MAGIC, 0x02, struct bulkhead_zone_open)
#define BULKHEAD_ZONE_LIST   _IOWR(BULKHEAD_IOCTL_MAGIC, 0x03, struct bulkhead_zone_list)

/* ---- zone fd ---------------------------------------------------------- */

/* BH_HC_ZONE_LOAD from a user buffer, copied through a kernel bounce buffer
 * in chunks. [ipa, ipa + len) must lie in the zone's RAM (checked before
 * anything is copied). 24 bytes.
 */
struct bulkhead_zone_load {
	__u64 ipa;		/* destination in the zone */
	__u64 src;		/* user pointer */
	__u64 len;
};

/* BH_HC_ZONE_SET_ENTRY. 24 bytes. */
struct bulkhead_zone_entry {
	__u32 vcpu;
	__u32 reserved;		/* 0 */
	__u64 pc;
	__u64 x0;		/* x0 (arm64) or RDI (x86-64) at entry */
};

/* BH_HC_ZONE_STATUS. 24 bytes. */
struct bulkhead_zone_status {
	__u32 state;		/* BH_ZONE_* */
	__u32 reason;		/* BH_EXIT_* */
	__u64 code;
	__u64 reserved;		/* 0: host-physical addresses stay in the kernel */
};

/* BH_HC_ZONE_BOOT_LINUX: desc points at a struct bh_linux_boot
 * (bulkhead/abi/linux_boot.h) followed at once by its strings; len counts
 * both (at most 56 + BH_LINUX_BOOT_STRINGS_MAX). 16 bytes.
 */
struct bulkhead_zone_boot_linux {
	__u64 desc;		/* user pointer */
	__u64 len;
};

/* BH_HC_ZONE_MAP: the zone's RAM appears in the control domain; then
 * mmap() this zone fd at offset 0 for at most size bytes (MAP_SHARED).
 * 16 bytes, all out.
 */
struct bulkhead_zone_map {
	__u64 size;		/* the zone's RAM bytes */
	__u64 reserved;
};

/* bulkhead_ioeventfd.flags */
#define BULKHEAD_IOEVENTFD_DATAMATCH (1u << 0) /* only when queue is written */
#define BULKHEAD_IOEVENTFD_DEASSIGN  (1u << 1)

/* An eventfd signalled, instead of an I/O record, on a posted QueueNotify
 * write to a served slot (with DATAMATCH: only of this queue index). 16
 * bytes.
 */
struct bulkhead_ioeventfd {
	__s32 fd;
	__u32 slot;		/* 0-31, served by this control domain */
	__u32 flags;		/* BULKHEAD_IOEVENTFD_* */
	__u32 queue;		/* the value written, with DATAMATCH */
};

/* bulkhead_irqfd.flags */
#define BULKHEAD_IRQFD_DEASSIGN (1u << 0)

/* An eventfd whose every signal raises a served slot's interrupt line
 * (BH_HC_ZONE_IRQ). 16 bytes.
 */
struct bulkhead_irqfd {
	__s32 fd;
	__u32 line;		/* arm64: SPI 16 + slot; x86-64: GSI 24 + slot */
	__u32 flags;		/* BULKHEAD_IRQFD_* */
	__u32 reserved;		/* 0 */
};

#define BULKHEAD_ZONE_INFO	 _IOR(BULKHEAD_IOCTL_MAGIC, 0x10, struct bulkhead_zone_info)
#define BULKHEAD_ZONE_LOAD	 _IOW(BULKHEAD_IOCTL_MAGIC, 0x11, struct bulkhead_zone_load)
#define BULKHEAD_ZONE_SET_ENTRY	 _IOW(BULKHEAD_IOCTL_MAGIC, 0x12, struct bulkhead_zone_entry)
#define BULKHEAD_ZONE_START	 _IO(BULKHEAD_IOCTL_MAGIC, 0x13)
#define BULKHEAD_ZONE_STOP	 _IO(BULKHEAD_IOCTL_MAGIC, 0x14)
#define BULKHEAD_ZONE_STATUS	 _IOR(BULKHEAD_IOCTL_MAGIC, 0x16, struct bulkhead_zone_status)
#define BULKHEAD_ZONE_SERVE	 _IOW(BULKHEAD_IOCTL_MAGIC, 0x19, __u32)	/* slot */
#define BULKHEAD_ZONE_IRQ	 _IOW(BULKHEAD_IOCTL_MAGIC, 0x1c, __u32)	/* line */
#define BULKHEAD_ZONE_MAP	 _IOR(BULKHEAD_IOCTL_MAGIC, 0x1d, struct bulkhead_zone_map)
#define BULKHEAD_ZONE_UNMAP	 _IO(BULKHEAD_IOCTL_MAGIC, 0x1e)
#define BULKHEAD_ZONE_PAUSE	 _IO(BULKHEAD_IOCTL_MAGIC, 0x1f)
#define BULKHEAD_ZONE_RESUME	 _IO(BULKHEAD_IOCTL_MAGIC, 0x20)
#define BULKHEAD_ZONE_BOOT_LINUX _IOW(BULKHEAD_IOCTL_MAGIC, 0x21, struct bulkhead_zone_boot_linux)
/* Driver-side operations on the zone fd. */
#define BULKHEAD_ZONE_IOREQ_FD	 _IO(BULKHEAD_IOCTL_MAGIC, 0x30)	/* returns the I/O fd */
#define BULKHEAD_ZONE_IOEVENTFD	 _IOW(BULKHEAD_IOCTL_MAGIC, 0x31, struct bulkhead_ioeventfd)
#define BULKHEAD_ZONE_IRQFD	 _IOW(BULKHEAD_IOCTL_MAGIC, 0x32, struct bulkhead_irqfd)
#define BULKHEAD_ZONE_SET_KEEP	 _IOW(BULKHEAD_IOCTL_MAGIC, 0x33, __u32)	/* 0 or 1 */

/* ---- I/O fd ----------------------------------------------------------- */

/* bulkhead_ioreq.dir (Xen's IOREQ_READ / IOREQ_WRITE) */
#define BULKHEAD_IOREQ_WRITE 0
#define BULKHEAD_IOREQ_READ  1

/* bulkhead_ioreq.vcpu of a posted write (QueueNotify): nobody waits and it
 * must not be completed.
 */
#define BULKHEAD_IOREQ_POSTED 0xffffffffu

/* bulkhead_ioreq.flags. LOST: posted writes were dropped before this one
 * (the zone flooded its server with notifies): rescan every queue of the
 * zone.
 */
#define BULKHEAD_IOREQ_LOST (1u << 0)

/* One forwarded access, decoded from the hypervisor's Xen ioreq_t. read()
 * returns as many whole records as fit (at least one record's room is
 * needed: EINVAL), -EAGAIN when none is queued and the fd is non-blocking,
 * 0 once the zone has ended and nothing is left. 40 bytes.
 */
struct bulkhead_ioreq {
	__u64 id;		/* complete it by this id */
	__u64 addr;		/* guest-physical: slot window + register */
	__u64 data;		/* the value written (writes) */
	__u32 size;		/* 1, 2, 4 or 8 */
	__u32 vcpu;		/* the waiting vCPU, or BULKHEAD_IOREQ_POSTED */
	__u8 dir;		/* BULKHEAD_IOREQ_READ / _WRITE */
	__u8 type;		/* Xen IOREQ_TYPE_COPY (1): MMIO */
	__u16 flags;		/* BULKHEAD_IOREQ_* */
	__u32 reserved;
};

/* write() takes whole completions; the return value counts the bytes of
 * those done before the first failure (that failure's errno if none was).
 * 16 bytes.
 */
struct bulkhead_ioreq_completion {
	__u64 id;
	__u64 value;		/* a read's result; masked to its size */
};

#endif /* _UAPI_BULKHEAD_H */
