// SPDX-License-Identifier: GPL-2.0-only
/*
 * Zone objects and zone file descriptors: every operation on one zone, and
 * nothing else, goes through a zone fd, so a process holding only that fd
 * can reach only that zone. Closing the last zone fd of a zone stops and
 * destroys it unless the zone is kept (BULKHEAD_ZONE_KEEP), which lets a
 * restarted zoned re-attach with ZONE_OPEN.
 */
#include <linux/anon_inodes.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "drv.h"
#include "hypercall.h"

/* DESTROY answers BUSY while a vCPU of the stopped zone is still loaded on
 * some CPU: a matter of that CPU's next exit. A second is far beyond it.
 */
#define BH_DESTROY_TRIES	100
#define BH_DESTROY_WAIT_MS	10

struct bh_zone *bh_zone_alloc(struct bh_dev *bh)
{
	struct bh_zone *z = kzalloc(sizeof(*z), GFP_KERNEL);

	if (!z)
		return NULL;
	kref_init(&z->ref);
	INIT_LIST_HEAD(&z->node);
	z->bh = bh;
	mutex_init(&z->lock);
	init_waitqueue_head(&z->end_wait);
	spin_lock_init(&z->io_lock);
	init_waitqueue_head(&z->io_wait);
	mutex_init(&z->io_read_lock);
	INIT_LIST_HEAD(&z->ioeventfds);
	mutex_init(&z->irqfds_lock);
	INIT_LIST_HEAD(&z->irqfds);
	mutex_init(&z->map_lock);
	atomic_set(&z->vmas, 0);
	return z;
}

static void bh_zone_free(struct kref *ref)
{
	kfree(container_of(ref, struct bh_zone, ref));
}

void bh_zone_put(struct bh_zone *z)
{
	kref_put(&z->ref, bh_zone_free);
}

void bh_zone_info(struct bh_zone *z, struct bulkhead_zone_info *info)
{
	memset(info, 0, sizeof(*info));
	info->handle = z->handle;
	info->ram_bytes = z->ram_bytes;
	strscpy(info->name, z->name, sizeof(info->name));
	info->vcpus = z->vcpus;
	mutex_lock(&z->lock);
	if (z->keep)
		info->flags |= BULKHEAD_INFO_KEPT;
	if (z->files)
		info->flags |= BULKHEAD_INFO_ATTACHED;
	mutex_unlock(&z->lock);
	if (READ_ONCE(z->window))
		info->flags |= BULKHEAD_INFO_MAPPED;
	spin_lock(&z->io_lock);
	if (z->ended) {
		info->flags |= BULKHEAD_INFO_ENDED;
		info->end_state = z->end_state;
		info->end_reason = z->end_reason;
		info->end_code = z->end_code;
	}
	spin_unlock(&z->io_lock);
}

/* BH_EVENT_ZONE_ENDED: x3 = state | reason << 8, x4 = code. The hypervisor
 * cancelled the zone's requests, so the ones not read yet are void.
 */
void bh_zone_ended(struct bh_zone *z, u64 what, u64 code)
{
	spin_lock(&z->io_lock);
	z->ended = true;
	z->end_state = what & 0xff;
	z->end_reason = (what >> 8) & 0xff;
	z->end_code = code;
	spin_unlock(&z->io_lock);
	bh_ioreq_flush(z);
	wake_up_interruptible_all(&z->end_wait);
}

/*
 * Stop and destroy a zone no zone fd refers to, and take it off the list.
 * If the hypervisor keeps refusing, the zone stays listed and kept, so a
 * ZONE_OPEN can find it and a later close tries again; give_up (module
 * unload) drops it from the list anyway.
 */
void bh_zone_destroy(struct bh_zone *z, bool give_up)
{
	struct bh_dev *bh = z->bh;
	bool was_listed;
	long st = BH_OK;
	int i;

	mutex_lock(&z->lock);
	z->dying = true;
	mutex_unlock(&z->lock);

	bh_eventfds_release(z);
	/* A no-op on an ended zone; NOT_FOUND if it is gone already. */
	bh_hc_zone(BH_HC_ZONE_STOP, z->handle, 0, 0);
	bh_map_release(z);
	for (i = 0; i < BH_DESTROY_TRIES; i++) {
		st = bh_hc(BH_HC_ZONE_DESTROY, z->handle, 0, 0, 0, NULL);
		if (st != BH_ERR_BUSY)
			break;
		msleep(BH_DESTROY_WAIT_MS);
	}
	if (st != BH_OK && st != BH_ERR_NOT_FOUND) {
		dev_warn(bh->dev, "zone %s (%#llx): DESTROY status %ld%s\n",
			 z->name, z->handle, st,
			 give_up ? ", forgotten" : ", kept for a retry");
		if (!give_up) {
			mutex_lock(&z->lock);
			z->keep = true;
			z->dying = false;
			mutex_unlock(&z->lock);
			return;
		}
	}

	spin_lock(&z->io_lock);
	z->gone = true;
	spin_unlock(&z->io_lock);
	bh_ioreq_flush(z);
	wake_up_interruptible_all(&z->end_wait);

	mutex_lock(&bh->lock);
	was_listed = z->listed;
	if (was_listed) {
		list_del_init(&z->node);
		z->listed = false;
	}
	mutex_unlock(&bh->lock);
	if (was_listed)
		bh_zone_put(z); /* the list's reference */
}

/* A zone fd goes away; the last one takes the zone with it unless kept. */
static void bh_zone_file_put(struct bh_zone *z)
{
	bool last;

	mutex_lock(&z->lock);
	last = --z->files == 0 && !z->keep;
	if (last)
		z->dying = true; /* decided with the count: no ZONE_OPEN between */
	mutex_unlock(&z->lock);
	if (last)
		bh_zone_destroy(z, false);
	bh_zone_put(z);
}

static int bh_zone_release(struct inode *inode, struct file *file)
{
	bh_zone_file_put(file->private_data);
	return 0;
}

static __poll_t bh_zone_poll(struct file *file, poll_table *wait)
{
	struct bh_zone *z = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &z->end_wait, wait);
	spin_lock(&z->io_lock);
	if (z->ended || z->gone)
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock(&z->io_lock);
	return mask;
}

static int bh_zone_status(struct bh_zone *z, void __user *arg)
{
	struct bulkhead_zone_status out = {};
	struct bh_hc_res res;
	int ret;

	ret = bh_errno(bh_hc(BH_HC_ZONE_STATUS, z->handle, 0, 0, 0, &res));
	if (ret)
		return ret;
	out.state = res.r[0];
	out.reason = res.r[1];
	out.code = res.r[2];
	return copy_to_user(arg, &out, sizeof(out)) ? -EFAULT : 0;
}

static int bh_zone_set_entry(struct bh_zone *z, void __user *arg)
{
	struct bulkhead_zone_entry e;

	if (copy_from_user(&e, arg, sizeof(e)))
		return -EFAULT;
	if (e.reserved)
		return -EINVAL;
	return bh_errno(bh_hc(BH_HC_ZONE_SET_ENTRY, z->handle, e.vcpu, e.pc,
			      e.x0, NULL));
}

static int bh_zone_serve(struct bh_zone *z, u32 __user *arg)
{
	u32 slot;
	int ret;

	if (get_user(slot, arg))
		return -EFAULT;
	ret = bh_hc_zone(BH_HC_IOREQ_SERVE, z->handle, slot, 0);
	if (ret)
		return ret;
	spin_lock(&z->io_lock);
	z->served |= BIT(slot); /* the hypervisor refused slots >= 32 */
	spin_unlock(&z->io_lock);
	return 0;
}

static int bh_zone_irq(struct bh_zone *z, u32 __user *arg)
{
	u32 line;

	if (get_user(line, arg))
		return -EFAULT;
	return bh_hc_zone(BH_HC_ZONE_IRQ, z->handle, line, 0);
}

static int bh_zone_map_ioctl(struct bh_zone *z, void __user *arg)
{
	struct bulkhead_zone_map out = { .size = z->ram_bytes };
	int ret = bh_map(z);

	if (ret)
		return ret;
	return copy_to_user(arg, &out, sizeof(out)) ? -EFAULT : 0;
}

static int bh_zone_set_keep(struct bh_zone *z, u32 __user *arg)
{
	u32 keep;

	if (get_user(keep, arg))
		return -EFAULT;
	if (keep > 1)
		return -EINVAL;
	mutex_lock(&z->lock);
	z->keep = keep;
	mutex_unlock(&z->lock);
	return 0;
}

static int bh_zone_info_ioctl(struct bh_zone *z, void __user *arg)
{
	struct bulkhead_zone_info info;

	bh_zone_info(z, &info);
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long bh_zone_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct bh_zone *z = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case BULKHEAD_ZONE_INFO:
		return bh_zone_info_ioctl(z, uarg);
	case BULKHEAD_ZONE_LOAD:
		return bh_zone_load(z, uarg);
	case BULKHEAD_ZONE_SET_ENTRY:
		return bh_zone_set_entry(z, uarg);
	case BULKHEAD_ZONE_START:
		return bh_hc_zone(BH_HC_ZONE_START, z->handle, 0, 0);
	case BULKHEAD_ZONE_STOP:
		return bh_hc_zone(BH_HC_ZONE_STOP, z->handle, 0, 0);
	case BULKHEAD_ZONE_STATUS:
		return bh_zone_status(z, uarg);
	case BULKHEAD_ZONE_SERVE:
		return bh_zone_serve(z, uarg);
	case BULKHEAD_ZONE_IRQ:
		return bh_zone_irq(z, uarg);
	case BULKHEAD_ZONE_MAP:
		return bh_zone_map_ioctl(z, uarg);
	case BULKHEAD_ZONE_UNMAP:
		return bh_unmap(z);
	case BULKHEAD_ZONE_PAUSE:
		return bh_hc_zone(BH_HC_ZONE_PAUSE, z->handle, 0, 0);
	case BULKHEAD_ZONE_RESUME:
		return bh_hc_zone(BH_HC_ZONE_RESUME, z->handle, 0, 0);
	case BULKHEAD_ZONE_BOOT_LINUX:
		return bh_zone_boot_linux(z, uarg);
	case BULKHEAD_ZONE_IOREQ_FD:
		return bh_ioreq_fd(z);
	case BULKHEAD_ZONE_IOEVENTFD:
		return bh_ioeventfd(z, uarg);
	case BULKHEAD_ZONE_IRQFD:
		return bh_irqfd(z, uarg);
	case BULKHEAD_ZONE_SET_KEEP:
		return bh_zone_set_keep(z, uarg);
	default:
		return -ENOTTY;
	}
}

static int bh_zone_mmap(struct file *file, struct vm_area_struct *vma)
{
	return bh_mmap(file->private_data, vma);
}

static const struct file_operations bh_zone_fops = {
	.owner = THIS_MODULE,
	.release = bh_zone_release,
	.poll = bh_zone_poll,
	.unlocked_ioctl = bh_zone_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = bh_zone_mmap,		/* the zone's RAM, after ZONE_MAP */
};

/*
 * A new zone fd (O_CLOEXEC: a backend gets it only on purpose, by
 * SCM_RIGHTS or inheritance it chose). flags: BULKHEAD_ZONE_KEEP sets the
 * keep flag. Refused while the zone is being destroyed. A failure leaves
 * the zone as it was: the caller decides whether to destroy it.
 */
int bh_zone_file_open(struct bh_zone *z, unsigned int flags)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	mutex_lock(&z->lock);
	if (z->dying) {
		mutex_unlock(&z->lock);
		put_unused_fd(fd);
		return -ENOENT;
	}
	z->files++;
	kref_get(&z->ref);
	mutex_unlock(&z->lock);

	file = anon_inode_getfile("[bulkhead-zone]", &bh_zone_fops, z, O_RDWR);
	if (IS_ERR(file)) {
		/* Undone without destroying: the caller decides that. */
		mutex_lock(&z->lock);
		z->files--;
		mutex_unlock(&z->lock);
		bh_zone_put(z);
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	if (flags & BULKHEAD_ZONE_KEEP) {
		mutex_lock(&z->lock);
		z->keep = true;
		mutex_unlock(&z->lock);
	}
	fd_install(fd, file);
	return fd;
}
