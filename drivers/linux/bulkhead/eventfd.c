// SPDX-License-Identifier: GPL-2.0-only
/*
 * Doorbells and interrupts by eventfd, as KVM and ACRN do them:
 *
 * - ioeventfd: a posted QueueNotify write to a served slot signals an
 *   eventfd instead of becoming an I/O record, so a backend's virtqueue
 *   thread wakes without a read() and a record per kick.
 * - irqfd: every signal of an eventfd raises one of the zone's lines
 *   (ZONE_IRQ), so whoever finishes a buffer can interrupt the zone by a
 *   write() to the eventfd, without this zone's fd.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "drv.h"
#include "hypercall.h"

struct bh_ioeventfd {
	struct list_head node;		/* bh_zone.ioeventfds, io_lock */
	struct eventfd_ctx *eventfd;
	u64 addr;			/* the slot's QueueNotify register */
	u32 queue;
	bool datamatch;
};

struct bh_irqfd {
	struct list_head node;		/* bh_zone.irqfds, irqfds_lock */
	struct bh_zone *zone;
	struct eventfd_ctx *eventfd;
	u32 line;
	wait_queue_entry_t wait;
	poll_table pt;
	struct work_struct shutdown;	/* the eventfd was closed */
};

static bool bh_slot_served(struct bh_zone *z, u32 slot)
{
	bool served;

	spin_lock(&z->io_lock);
	served = slot < BH_VIRTIO_SLOTS && (z->served & BIT(slot));
	spin_unlock(&z->io_lock);
	return served;
}

/* Two registrations conflict when one write would signal both. */
static bool bh_ioeventfd_overlaps(const struct bh_ioeventfd *a,
				  const struct bh_ioeventfd *b)
{
	return a->addr == b->addr &&
	       (!a->datamatch || !b->datamatch || a->queue == b->queue);
}

static bool bh_ioeventfd_same(const struct bh_ioeventfd *a,
			      const struct bh_ioeventfd *b)
{
	return a->eventfd == b->eventfd && a->addr == b->addr &&
	       a->datamatch == b->datamatch &&
	       (!a->datamatch || a->queue == b->queue);
}

int bh_ioeventfd(struct bh_zone *z, const void __user *uarg)
{
	struct bh_ioeventfd *p, *new, *found = NULL;
	struct bulkhead_ioeventfd args;
	struct eventfd_ctx *ctx;
	bool deassign;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	deassign = args.flags & BULKHEAD_IOEVENTFD_DEASSIGN;
	if (args.flags & ~(BULKHEAD_IOEVENTFD_DATAMATCH |
			   BULKHEAD_IOEVENTFD_DEASSIGN) ||
	    (!(args.flags & BULKHEAD_IOEVENTFD_DATAMATCH) && args.queue) ||
	    !bh_slot_served(z, args.slot))
		return -EINVAL;
	ctx = eventfd_ctx_fdget(args.fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new) {
		eventfd_ctx_put(ctx);
		return -ENOMEM;
	}
	new->eventfd = ctx;
	new->addr = BH_VIRTIO_BASE + args.slot * BH_VIRTIO_SLOT_SIZE +
		    BH_VIRTIO_QUEUE_NOTIFY;
	new->datamatch = args.flags & BULKHEAD_IOEVENTFD_DATAMATCH;
	new->queue = args.queue;

	/* Deassign looks for this very registration, assign for any that
	 * one write would signal along with it.
	 */
	spin_lock(&z->io_lock);
	list_for_each_entry(p, &z->ioeventfds, node) {
		if (deassign ? bh_ioeventfd_same(p, new) :
			       bh_ioeventfd_overlaps(p, new)) {
			found = p;
			break;
		}
	}
	if (deassign && found)
		list_del(&found->node);
	else if (!deassign && !found)
		list_add_tail(&new->node, &z->ioeventfds);
	spin_unlock(&z->io_lock);

	if (!deassign && !found)
		return 0;
	eventfd_ctx_put(new->eventfd);
	kfree(new);
	if (!deassign)
		return -EEXIST;
	if (!found)
		return -ENOENT;
	eventfd_ctx_put(found->eventfd);
	kfree(found);
	return 0;
}

/* From the event drain: true if an ioeventfd took this posted write. */
bool bh_ioeventfd_match(struct bh_zone *z, const struct bulkhead_ioreq *req)
{
	struct bh_ioeventfd *p;
	bool hit = false;

	if (req->dir != BULKHEAD_IOREQ_WRITE)
		return false;
	spin_lock(&z->io_lock);
	list_for_each_entry(p, &z->ioeventfds, node) {
		if (p->addr == req->addr &&
		    (!p->datamatch || p->queue == req->data)) {
			eventfd_signal(p->eventfd, 1);
			hit = true;
			break;
		}
	}
	spin_unlock(&z->io_lock);
	return hit;
}

/*
 * The eventfd's wake-up, under its wait-queue lock with interrupts off:
 * ZONE_IRQ is a short hypercall that never sleeps, so it is made right
 * here, and the count is consumed so it never saturates. Errors (the zone
 * is not running: BAD_STATE) are the zone's business, not the writer's.
 */
static int bh_irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			   int sync, void *key)
{
	struct bh_irqfd *irqfd = container_of(wait, struct bh_irqfd, wait);
	__poll_t flags = key_to_poll(key);
	u64 cnt;

	if (flags & EPOLLIN) {
		eventfd_ctx_do_read(irqfd->eventfd, &cnt);
		bh_hc_zone(BH_HC_ZONE_IRQ, irqfd->zone->handle, irqfd->line, 0);
	}
	if (flags & EPOLLHUP)
		schedule_work(&irqfd->shutdown);
	return 0;
}

static void bh_irqfd_queue_proc(struct file *file, wait_queue_head_t *wqh,
				poll_table *pt)
{
	struct bh_irqfd *irqfd = container_of(pt, struct bh_irqfd, pt);

	add_wait_queue(wqh, &irqfd->wait);
}

/* Off the list already: unhook from the eventfd and free. Not from the
 * shutdown work itself (it would wait for itself).
 */
static void bh_irqfd_free(struct bh_irqfd *irqfd)
{
	u64 cnt;

	eventfd_ctx_remove_wait_queue(irqfd->eventfd, &irqfd->wait, &cnt);
	cancel_work_sync(&irqfd->shutdown);
	eventfd_ctx_put(irqfd->eventfd);
	kfree(irqfd);
}

/* The eventfd was closed. Whoever takes the irqfd off the list frees it:
 * if deassign or the zone's end got there first, there is nothing to do
 * (they wait for this work before they free it).
 */
static void bh_irqfd_shutdown(struct work_struct *work)
{
	struct bh_irqfd *irqfd = container_of(work, struct bh_irqfd, shutdown);
	struct bh_zone *z = irqfd->zone;
	bool mine;
	u64 cnt;

	mutex_lock(&z->irqfds_lock);
	mine = !list_empty(&irqfd->node);
	list_del_init(&irqfd->node);
	mutex_unlock(&z->irqfds_lock);
	if (!mine)
		return;
	eventfd_ctx_remove_wait_queue(irqfd->eventfd, &irqfd->wait, &cnt);
	eventfd_ctx_put(irqfd->eventfd);
	kfree(irqfd);
}

static int bh_irqfd_deassign(struct bh_zone *z, struct eventfd_ctx *ctx,
			     u32 line)
{
	struct bh_irqfd *p, *found = NULL;

	mutex_lock(&z->irqfds_lock);
	list_for_each_entry(p, &z->irqfds, node) {
		if (p->eventfd == ctx && p->line == line) {
			list_del_init(&p->node);
			found = p;
			break;
		}
	}
	mutex_unlock(&z->irqfds_lock);
	if (!found)
		return -ENOENT;
	bh_irqfd_free(found);
	return 0;
}

int bh_irqfd(struct bh_zone *z, const void __user *uarg)
{
	struct bulkhead_irqfd args;
	struct bh_irqfd *irqfd, *p;
	struct eventfd_ctx *ctx;
	__poll_t events;
	struct fd f;
	int ret = 0;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~BULKHEAD_IRQFD_DEASSIGN || args.reserved ||
	    args.line < BH_VIRTIO_FIRST_LINE ||
	    !bh_slot_served(z, args.line - BH_VIRTIO_FIRST_LINE))
		return -EINVAL;
	f = fdget(args.fd);
	if (!f.file)
		return -EBADF;
	ctx = eventfd_ctx_fileget(f.file);
	if (IS_ERR(ctx)) {
		ret = PTR_ERR(ctx);
		goto out_fdput;
	}
	if (args.flags & BULKHEAD_IRQFD_DEASSIGN) {
		ret = bh_irqfd_deassign(z, ctx, args.line);
		eventfd_ctx_put(ctx);
		goto out_fdput;
	}

	irqfd = kzalloc(sizeof(*irqfd), GFP_KERNEL);
	if (!irqfd) {
		eventfd_ctx_put(ctx);
		ret = -ENOMEM;
		goto out_fdput;
	}
	irqfd->zone = z;
	irqfd->eventfd = ctx;
	irqfd->line = args.line;
	INIT_LIST_HEAD(&irqfd->node);
	INIT_WORK(&irqfd->shutdown, bh_irqfd_shutdown);
	init_waitqueue_func_entry(&irqfd->wait, bh_irqfd_wakeup);
	init_poll_funcptr(&irqfd->pt, bh_irqfd_queue_proc);

	/* Hooked and listed under the lock, so neither deassign nor a
	 * close's shutdown work sees it half made.
	 */
	mutex_lock(&z->irqfds_lock);
	list_for_each_entry(p, &z->irqfds, node) {
		if (p->eventfd == ctx) {
			ret = -EEXIST;
			break;
		}
	}
	if (!ret) {
		list_add_tail(&irqfd->node, &z->irqfds);
		events = vfs_poll(f.file, &irqfd->pt);
		if (events & EPOLLIN) /* signalled before it was hooked */
			bh_hc_zone(BH_HC_ZONE_IRQ, z->handle, irqfd->line, 0);
	}
	mutex_unlock(&z->irqfds_lock);
	if (ret) {
		eventfd_ctx_put(ctx);
		kfree(irqfd);
	}
out_fdput:
	fdput(f);
	return ret;
}

/* The zone is being destroyed: nothing may signal it any more. */
void bh_eventfds_release(struct bh_zone *z)
{
	struct bh_ioeventfd *io, *io_tmp;
	struct bh_irqfd *irqfd;
	LIST_HEAD(ios);

	spin_lock(&z->io_lock);
	list_splice_init(&z->ioeventfds, &ios);
	spin_unlock(&z->io_lock);
	list_for_each_entry_safe(io, io_tmp, &ios, node) {
		eventfd_ctx_put(io->eventfd);
		kfree(io);
	}

	for (;;) {
		mutex_lock(&z->irqfds_lock);
		irqfd = list_first_entry_or_null(&z->irqfds, struct bh_irqfd,
						 node);
		if (irqfd)
			list_del_init(&irqfd->node);
		mutex_unlock(&z->irqfds_lock);
		if (!irqfd)
			break;
		bh_irqfd_free(irqfd);
	}
}
