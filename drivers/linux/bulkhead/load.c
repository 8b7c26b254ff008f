// SPDX-License-Identifier: GPL-2.0-only
/*
 * Putting user data into a zone: ZONE_LOAD through a bounce buffer, and
 * ZONE_BOOT_LINUX's descriptor. The hypervisor reads the source from the
 * control domain's RAM by guest-physical address, so the data must sit in
 * kernel memory that is physically contiguous: pages or kmalloc, never a
 * user buffer or a vmalloc'ed stack.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <bulkhead/abi/linux_boot.h>

#include "drv.h"
#include "hypercall.h"

/* The bounce buffer: 1 MiB when the allocator has it (a few hypercalls per
 * image), down to one page when memory is fragmented.
 */
#define BH_BOUNCE_MAX_ORDER	get_order(SZ_1M)

static struct page *bh_bounce_alloc(u64 len, unsigned int *order)
{
	unsigned int o = min_t(unsigned int, get_order(len), BH_BOUNCE_MAX_ORDER);
	struct page *page;

	for (;; o--) {
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN |
				   (o ? __GFP_NORETRY : 0), o);
		if (page || !o)
			break;
	}
	*order = o;
	return page;
}

/*
 * The whole destination is checked against the zone's RAM before the
 * first byte moves, so a bad range changes nothing; a bad source or a
 * fatal signal can stop a load part way (the zone has not started: load
 * again or destroy it).
 */
int bh_zone_load(struct bh_zone *z, void __user *arg)
{
	struct bulkhead_zone_load req;
	u64 done, chunk, bufsize;
	unsigned int order;
	struct page *page;
	int ret = 0;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (!req.len || req.ipa < z->ram_base ||
	    req.len > z->ram_bytes ||
	    req.ipa - z->ram_base > z->ram_bytes - req.len)
		return -EINVAL;

	page = bh_bounce_alloc(req.len, &order);
	if (!page)
		return -ENOMEM;
	bufsize = PAGE_SIZE << order;
	for (done = 0; done < req.len; done += chunk) {
		chunk = min(req.len - done, bufsize);
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (copy_from_user(page_address(page),
				   u64_to_user_ptr(req.src + done), chunk)) {
			ret = -EFAULT;
			break;
		}
		ret = bh_errno(bh_hc(BH_HC_ZONE_LOAD, z->handle, req.ipa + done,
				     page_to_phys(page), chunk, NULL));
		if (ret)
			break;
		cond_resched();
	}
	__free_pages(page, order);
	return ret;
}

int bh_zone_boot_linux(struct bh_zone *z, void __user *arg)
{
	struct bulkhead_zone_boot_linux req;
	void *desc;
	int ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.len < sizeof(struct bh_linux_boot) ||
	    req.len > sizeof(struct bh_linux_boot) + BH_LINUX_BOOT_STRINGS_MAX)
		return -EINVAL;
	/* kmalloc: physically contiguous, as the hypervisor reads it. */
	desc = memdup_user(u64_to_user_ptr(req.desc), req.len);
	if (IS_ERR(desc))
		return PTR_ERR(desc);
	ret = bh_errno(bh_hc(BH_HC_ZONE_BOOT_LINUX, z->handle,
			     virt_to_phys(desc), req.len, 0, NULL));
	kfree(desc);
	return ret;
}
