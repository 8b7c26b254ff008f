// SPDX-License-Identifier: GPL-2.0-only
/*
 * A served zone's RAM in the control domain (ZONE_MAP), for its backend to
 * reach queues and buffers: the hypervisor maps it at a guest-physical
 * window Linux does not use, which this driver reserves in iomem_resource
 * (above RAM, 2 MiB aligned, below the 39-bit IPA limit the hypervisor
 * allows) and hands to user space only through that zone's fd, only for
 * the zone's RAM size.
 */
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sizes.h>

#include "drv.h"
#include "hypercall.h"

/* The hypervisor's guest-physical limit, 2^39 on both architectures
 * (aarch64_platform.hpp, x86_64_platform.hpp): ZONE_MAP refuses windows
 * that reach it.
 */
#define BH_GUEST_PHYS_LIMIT	BIT_ULL(39)
#define BH_WINDOW_ALIGN		SZ_2M

static int bh_ram_top(struct resource *res, void *arg)
{
	u64 *top = arg;

	*top = max_t(u64, *top, res->end);
	return 0;
}

/* Windows go above all of Linux's RAM: ZONE_MAP refuses to overlap it. */
int bh_window_init(struct bh_dev *bh)
{
	u64 top = 0;

	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM, 0, U64_MAX,
			    &top, bh_ram_top);
	if (!top) {
		dev_err(bh->dev, "no System RAM in iomem_resource\n");
		return -ENODEV;
	}
	bh->window_min = round_up(top + 1, BH_WINDOW_ALIGN);
	bh->window_max = BH_GUEST_PHYS_LIMIT - 1;
	if (bh->window_min >= bh->window_max)
		return -ENODEV;
	return 0;
}

/* The window's pages are the zone's RAM; the hypervisor has them as
 * normal memory, so the user mapping keeps the default (cacheable)
 * attributes. Counting mappings lets UNMAP refuse while one exists: the
 * control domain touching an unmapped window would fault in the
 * hypervisor.
 */
static void bh_vma_open(struct vm_area_struct *vma)
{
	struct bh_zone *z = vma->vm_private_data;

	atomic_inc(&z->vmas);
}

static void bh_vma_close(struct vm_area_struct *vma)
{
	struct bh_zone *z = vma->vm_private_data;

	atomic_dec(&z->vmas);
}

static const struct vm_operations_struct bh_vm_ops = {
	.open = bh_vma_open,
	.close = bh_vma_close,
};

int bh_map(struct bh_zone *z)
{
	struct resource *res;
	int ret;

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	res->name = z->name;
	res->flags = IORESOURCE_MEM | IORESOURCE_BUSY;

	mutex_lock(&z->map_lock);
	if (z->window) {
		ret = -EBUSY; /* as the hypervisor's BAD_STATE */
		goto out_free;
	}
	ret = allocate_resource(&iomem_resource, res, z->ram_bytes,
				z->bh->window_min, z->bh->window_max,
				BH_WINDOW_ALIGN, NULL, NULL);
	if (ret) {
		ret = -ENOMEM; /* no room for the window */
		goto out_free;
	}
	ret = bh_hc_zone(BH_HC_ZONE_MAP, z->handle, res->start, 0);
	if (ret) {
		release_resource(res);
		goto out_free;
	}
	WRITE_ONCE(z->window, res);
	mutex_unlock(&z->map_lock);
	return 0;

out_free:
	mutex_unlock(&z->map_lock);
	kfree(res);
	return ret;
}

static void bh_window_free(struct bh_zone *z)
{
	release_resource(z->window);
	kfree(z->window);
	WRITE_ONCE(z->window, NULL);
}

int bh_unmap(struct bh_zone *z)
{
	int ret;

	mutex_lock(&z->map_lock);
	if (!z->window)
		ret = -EBUSY; /* as the hypervisor's BAD_STATE: not mapped */
	else if (atomic_read(&z->vmas))
		ret = -EBUSY;
	else
		ret = bh_hc_zone(BH_HC_ZONE_UNMAP, z->handle, 0, 0);
	/* NOT_FOUND: the zone is gone, and its destruction unmapped it. */
	if (z->window && (!ret || ret == -ENOENT)) {
		bh_window_free(z);
		ret = 0;
	}
	mutex_unlock(&z->map_lock);
	return ret;
}

/* The zone is being destroyed: no zone fd, so no user mapping, is left. */
void bh_map_release(struct bh_zone *z)
{
	mutex_lock(&z->map_lock);
	if (z->window) {
		WARN_ON(atomic_read(&z->vmas));
		bh_hc_zone(BH_HC_ZONE_UNMAP, z->handle, 0, 0);
		bh_window_free(z);
	}
	mutex_unlock(&z->map_lock);
}

/* Shared mappings only (a private copy-on-write view of foreign RAM makes
 * no sense), within [0, RAM size) of this zone, after ZONE_MAP.
 */
int bh_mmap(struct bh_zone *z, struct vm_area_struct *vma)
{
	u64 len = vma->vm_end - vma->vm_start;
	u64 pages = z->ram_bytes >> PAGE_SHIFT;
	u64 off;
	int ret;

	if (!(vma->vm_flags & VM_SHARED) || vma->vm_pgoff >= pages ||
	    len > (pages - vma->vm_pgoff) << PAGE_SHIFT)
		return -EINVAL;
	off = (u64)vma->vm_pgoff << PAGE_SHIFT;

	mutex_lock(&z->map_lock);
	if (!z->window) {
		ret = -ENXIO;
		goto out;
	}
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_ops = &bh_vm_ops;
	vma->vm_private_data = z;
	ret = remap_pfn_range(vma, vma->vm_start,
			      (z->window->start + off) >> PAGE_SHIFT, len,
			      vma->vm_page_prot);
	if (!ret)
		atomic_inc(&z->vmas);
out:
	mutex_unlock(&z->map_lock);
	return ret;
}
