/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Bulkhead control-domain driver's objects: the device (/dev/bulkhead
 * and the hypervisor's event line) and the zones it made.
 */
#ifndef BULKHEAD_DRV_H
#define BULKHEAD_DRV_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <bulkhead.h>
#include <bulkhead/abi/zone_layout.h>

/*
 * The zone platform's fixed addresses (bulkhead/abi/zone_layout.h,
 * docs/architecture.md "Address spaces"): zones made with ZONE_CREATE get
 * their RAM at 0x40000000 (BULKHEAD_ZONE_LINUX: where the architecture's
 * Linux zones have it, 0 on x86-64), and 32 virtio-mmio slots of 0x200 bytes, slot i
 * raising line BH_VIRTIO_FIRST_LINE + i (arm64: from 0x0a000000, SPI 16 + i;
 * x86-64: from 0xfeb00000, GSI 24 + i).
 */
#if defined(CONFIG_X86_64)
#define BH_LINUX_RAM_BASE	((u64)BH_X86_64_LINUX_RAM_BASE)
#define BH_VIRTIO_BASE		((u64)BH_X86_64_VIRTIO_BASE)
#define BH_VIRTIO_FIRST_LINE	BH_X86_64_VIRTIO_FIRST_LINE
#else
#define BH_LINUX_RAM_BASE	((u64)BH_ARM64_LINUX_RAM_BASE)
#define BH_VIRTIO_BASE		((u64)BH_ARM64_VIRTIO_BASE)
#define BH_VIRTIO_FIRST_LINE	BH_ARM64_VIRTIO_FIRST_LINE
#endif

/*
 * Requests the driver has pulled and user space has not read yet. Non-posted
 * ones are at most the hypervisor's 64 per zone (each waits for its
 * completion there); posted ones nobody waits for, so a zone could queue
 * them without end: past BH_IOQ_POSTED_MAX they are dropped and the next
 * record says so (BULKHEAD_IOREQ_LOST). The sum bounds the ring, so pulling
 * never has to stop and EVENT_NEXT never repeats one zone forever.
 */
#define BH_IOQ_WAITED_MAX	64
#define BH_IOQ_POSTED_MAX	64
#define BH_IOQ_SIZE		(BH_IOQ_WAITED_MAX + BH_IOQ_POSTED_MAX)

struct bh_dev {
	struct device *dev;
	struct miscdevice misc;
	int irq;

	struct mutex lock;		/* zones */
	struct list_head zones;

	/* The event handler's state: one drains at a time. */
	struct mutex event_lock;
	void *ioreq_buf;		/* 32 bytes the hypervisor writes */

	u64 window_min;			/* ZONE_MAP windows: above RAM */
	u64 window_max;
};

struct bh_zone {
	struct kref ref;
	struct list_head node;		/* bh_dev.zones, while listed */
	struct bh_dev *bh;
	u64 handle;
	u64 ram_base;			/* the zone's first guest-physical byte */
	u64 ram_bytes;
	u32 vcpus;
	char name[BULKHEAD_NAME_MAX + 1];

	/* Lifecycle: who holds it, whether it survives, how it ended. */
	struct mutex lock;
	unsigned int files;		/* open zone fds */
	bool keep;
	bool dying;			/* being destroyed: no ZONE_OPEN */
	bool listed;			/* on bh_dev.zones (holds a ref) */

	/* What the event thread learns; under io_lock, as it must not wait
	 * for a zone's lock (held across a destroy's retries).
	 */
	wait_queue_head_t end_wait;	/* zone fd poll */
	bool ended;			/* BH_EVENT_ZONE_ENDED seen */
	bool gone;			/* destroyed */
	u32 end_state, end_reason;
	u64 end_code;
	u32 served;			/* slots IOREQ_SERVE gave us */

	/* Forwarded I/O: the ring, its reader and the ioeventfds that take
	 * posted notifies before they reach it (event thread vs read()).
	 */
	spinlock_t io_lock;
	struct bulkhead_ioreq ioq[BH_IOQ_SIZE];
	unsigned int ioq_head, ioq_len, ioq_posted;
	unsigned int ioq_gen;		/* bumped by a flush */
	bool ioq_lost;
	bool io_open;
	wait_queue_head_t io_wait;
	struct mutex io_read_lock;	/* one reader copies out at a time */
	struct list_head ioeventfds;

	struct mutex irqfds_lock;	/* irqfds; may sleep (flush work) */
	struct list_head irqfds;

	/* ZONE_MAP: no user copies are made under map_lock (mmap() takes it
	 * under mmap_lock).
	 */
	struct mutex map_lock;
	struct resource *window;	/* NULL: not mapped */
	atomic_t vmas;			/* user mappings of the window */
};

/* main.c */
struct bh_zone *bh_zone_lookup(struct bh_dev *bh, u64 handle);

/* zone.c */
struct bh_zone *bh_zone_alloc(struct bh_dev *bh);
void bh_zone_put(struct bh_zone *z);
int bh_zone_file_open(struct bh_zone *z, unsigned int flags);
void bh_zone_info(struct bh_zone *z, struct bulkhead_zone_info *info);
void bh_zone_ended(struct bh_zone *z, u64 what, u64 code);
void bh_zone_destroy(struct bh_zone *z, bool give_up);

/* load.c */
int bh_zone_load(struct bh_zone *z, void __user *arg);
int bh_zone_boot_linux(struct bh_zone *z, void __user *arg);

/* ioreq.c */
void bh_ioreq_pull(struct bh_dev *bh, struct bh_zone *z);
void bh_ioreq_discard(struct bh_dev *bh, u64 handle);
void bh_ioreq_flush(struct bh_zone *z);
int bh_ioreq_fd(struct bh_zone *z);

/* eventfd.c */
int bh_ioeventfd(struct bh_zone *z, const void __user *uarg);
bool bh_ioeventfd_match(struct bh_zone *z, const struct bulkhead_ioreq *req);
int bh_irqfd(struct bh_zone *z, const void __user *uarg);
void bh_eventfds_release(struct bh_zone *z);

/* map.c */
int bh_window_init(struct bh_dev *bh);
int bh_map(struct bh_zone *z);
int bh_unmap(struct bh_zone *z);
void bh_map_release(struct bh_zone *z);
int bh_mmap(struct bh_zone *z, struct vm_area_struct *vma);

#endif
