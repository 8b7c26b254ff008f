// SPDX-License-Identifier: GPL-2.0-only
/*
 * Forwarded I/O: the event thread pulls a zone's requests from the
 * hypervisor (IOREQ_NEXT) into the zone's ring, posted notifies that an
 * ioeventfd claims aside; the zone's I/O fd hands them to its backend as
 * whole records and takes completions back in batches (IOREQ_COMPLETE).
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "drv.h"
#include "hypercall.h"

/* Xen's public ioreq_t (xen/hvm/ioreq.h) as the hypervisor writes it:
 * little-endian, the bitfield byte decoded by hand.
 */
struct bh_xen_ioreq {
	__le64 addr;
	__le64 data;
	__le32 count;
	__le32 size;
	__le32 vp_eport;
	__le16 pad0;
	u8 bits;	/* state:4, data_is_ptr:1, dir:1, df:1 */
	u8 type;
};

static_assert(sizeof(struct bh_xen_ioreq) == 32);
#define BH_XEN_IOREQ_DIR_BIT 5

/* A pull takes at most this many requests before the drain asks
 * EVENT_NEXT again (which names the zone again if it has more).
 */
#define BH_PULL_BATCH BH_IOQ_SIZE

/* Records copied out per step of read(): a small stack buffer. */
#define BH_READ_BATCH 8

static void bh_ioreq_decode(const struct bh_xen_ioreq *x, u64 id,
			    struct bulkhead_ioreq *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->id = id;
	rec->addr = le64_to_cpu(x->addr);
	rec->data = le64_to_cpu(x->data);
	rec->size = le32_to_cpu(x->size);
	rec->vcpu = le32_to_cpu(x->vp_eport);
	rec->dir = (x->bits >> BH_XEN_IOREQ_DIR_BIT) & 1;
	rec->type = x->type;
}

/* One IOREQ_NEXT into the device's buffer; false when there is none. */
static bool bh_ioreq_next(struct bh_dev *bh, u64 handle,
			  struct bulkhead_ioreq *rec)
{
	struct bh_hc_res res;
	long st;

	st = bh_hc(BH_HC_IOREQ_NEXT, handle, virt_to_phys(bh->ioreq_buf), 0, 0,
		   &res);
	if (st != BH_OK) {
		if (st != BH_ERR_NOT_FOUND)
			dev_err_ratelimited(bh->dev, "IOREQ_NEXT %#llx: status %ld\n",
					    handle, st);
		return false;
	}
	bh_ioreq_decode(bh->ioreq_buf, res.r[0], rec);
	return true;
}

/* Into the ring; see BH_IOQ_SIZE for why it can never overflow with
 * requests a vCPU waits for.
 */
static void bh_ioq_push(struct bh_zone *z, struct bulkhead_ioreq *rec)
{
	bool posted = rec->vcpu == BULKHEAD_IOREQ_POSTED;

	spin_lock(&z->io_lock);
	if ((posted && z->ioq_posted >= BH_IOQ_POSTED_MAX) ||
	    z->ioq_len >= BH_IOQ_SIZE) {
		z->ioq_lost = true;
		if (!posted)
			dev_err_ratelimited(z->bh->dev, "zone %s: request %#llx dropped\n",
					    z->name, rec->id);
	} else {
		if (z->ioq_lost)
			rec->flags |= BULKHEAD_IOREQ_LOST;
		z->ioq_lost = false;
		z->ioq[(z->ioq_head + z->ioq_len) % BH_IOQ_SIZE] = *rec;
		z->ioq_len++;
		z->ioq_posted += posted;
	}
	spin_unlock(&z->io_lock);
}

/* Called by the event drain (bh_dev.event_lock held: it owns ioreq_buf). */
void bh_ioreq_pull(struct bh_dev *bh, struct bh_zone *z)
{
	struct bulkhead_ioreq rec;
	unsigned int n;

	for (n = 0; n < BH_PULL_BATCH && bh_ioreq_next(bh, z->handle, &rec); n++) {
		if (rec.vcpu == BULKHEAD_IOREQ_POSTED && bh_ioeventfd_match(z, &rec))
			continue;
		bh_ioq_push(z, &rec);
	}
	wake_up_interruptible_poll(&z->io_wait, EPOLLIN | EPOLLRDNORM);
}

/* Requests of a zone this driver does not know (made by an earlier load
 * of it): nobody can serve them, but they must leave the queue or
 * EVENT_NEXT names the zone for ever. Its vCPUs stay parked.
 */
void bh_ioreq_discard(struct bh_dev *bh, u64 handle)
{
	struct bulkhead_ioreq rec;
	unsigned int n;

	for (n = 0; n < BH_PULL_BATCH && bh_ioreq_next(bh, handle, &rec); n++)
		;
	if (n)
		dev_warn_ratelimited(bh->dev, "zone %#llx is not ours: %u requests dropped\n",
				     handle, n);
}

/* The zone ended or went: the hypervisor cancelled what it had queued, so
 * no id in the ring can be completed any more.
 */
void bh_ioreq_flush(struct bh_zone *z)
{
	spin_lock(&z->io_lock);
	z->ioq_head = 0;
	z->ioq_len = 0;
	z->ioq_posted = 0;
	z->ioq_lost = false;
	z->ioq_gen++;
	spin_unlock(&z->io_lock);
	wake_up_interruptible_all(&z->io_wait);
}

static bool bh_io_done(struct bh_zone *z)
{
	return z->ended || z->gone;
}

/*
 * Up to max records from the head of the ring, left in it: they leave
 * only once user space has them (bh_ioq_pop), so a fault in copy_to_user
 * loses no request a vCPU waits for. Returns how many, or -EAGAIN if none
 * is queued, 0 if none ever will be.
 */
static int bh_ioq_peek(struct bh_zone *z, struct bulkhead_ioreq *out,
		       unsigned int max, unsigned int *gen)
{
	int i, n;

	spin_lock(&z->io_lock);
	n = min(max, z->ioq_len);
	for (i = 0; i < n; i++)
		out[i] = z->ioq[(z->ioq_head + i) % BH_IOQ_SIZE];
	*gen = z->ioq_gen;
	if (!n && !bh_io_done(z))
		n = -EAGAIN;
	spin_unlock(&z->io_lock);
	return n;
}

static void bh_ioq_pop(struct bh_zone *z, const struct bulkhead_ioreq *recs,
		       unsigned int n, unsigned int gen)
{
	unsigned int i;

	spin_lock(&z->io_lock);
	if (z->ioq_gen == gen) { /* else a flush emptied it meanwhile */
		for (i = 0; i < n; i++)
			z->ioq_posted -= recs[i].vcpu == BULKHEAD_IOREQ_POSTED;
		z->ioq_head = (z->ioq_head + n) % BH_IOQ_SIZE;
		z->ioq_len -= n;
	}
	spin_unlock(&z->io_lock);
}

static ssize_t bh_io_read(struct file *file, char __user *buf, size_t count,
			  loff_t *ppos)
{
	struct bh_zone *z = file->private_data;
	struct bulkhead_ioreq recs[BH_READ_BATCH];
	size_t want = count / sizeof(recs[0]), done = 0;
	unsigned int gen;
	int n, err = 0;

	if (!want)
		return -EINVAL;
	if (mutex_lock_interruptible(&z->io_read_lock))
		return -ERESTARTSYS;
	while (done < want) {
		n = bh_ioq_peek(z, recs, min_t(size_t, want - done, BH_READ_BATCH),
				&gen);
		if (n == -EAGAIN && !done && !(file->f_flags & O_NONBLOCK)) {
			mutex_unlock(&z->io_read_lock);
			if (wait_event_interruptible(z->io_wait,
						     READ_ONCE(z->ioq_len) ||
						     bh_io_done(z)))
				return -ERESTARTSYS;
			if (mutex_lock_interruptible(&z->io_read_lock))
				return -ERESTARTSYS;
			continue;
		}
		if (n <= 0) {
			err = n; /* -EAGAIN, or 0 at the end */
			break;
		}
		if (copy_to_user(buf + done * sizeof(recs[0]), recs,
				 n * sizeof(recs[0]))) {
			err = -EFAULT;
			break;
		}
		bh_ioq_pop(z, recs, n, gen);
		done += n;
	}
	mutex_unlock(&z->io_read_lock);
	return done ? done * sizeof(recs[0]) : err;
}

static ssize_t bh_io_write(struct file *file, const char __user *buf,
			   size_t count, loff_t *ppos)
{
	struct bh_zone *z = file->private_data;
	struct bulkhead_ioreq_completion c;
	size_t done;
	int ret = 0;

	if (!count || count % sizeof(c))
		return -EINVAL;
	for (done = 0; done < count; done += sizeof(c)) {
		if (copy_from_user(&c, buf + done, sizeof(c))) {
			ret = -EFAULT;
			break;
		}
		ret = bh_hc_zone(BH_HC_IOREQ_COMPLETE, z->handle, c.id, c.value);
		if (ret)
			break;
		if (need_resched())
			cond_resched();
	}
	return done ? done : ret;
}

static __poll_t bh_io_poll(struct file *file, poll_table *wait)
{
	struct bh_zone *z = file->private_data;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &z->io_wait, wait);
	spin_lock(&z->io_lock);
	if (z->ioq_len)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (bh_io_done(z))
		mask |= EPOLLHUP;
	spin_unlock(&z->io_lock);
	return mask;
}

static int bh_io_release(struct inode *inode, struct file *file)
{
	struct bh_zone *z = file->private_data;

	spin_lock(&z->io_lock);
	z->io_open = false;
	spin_unlock(&z->io_lock);
	bh_zone_put(z);
	return 0;
}

/* Not seekable: without .llseek, lseek() fails with ESPIPE. */
static const struct file_operations bh_io_fops = {
	.owner = THIS_MODULE,
	.read = bh_io_read,		/* whole struct bulkhead_ioreq records */
	.write = bh_io_write,		/* whole completions */
	.poll = bh_io_poll,
	.release = bh_io_release,
};

/* One I/O fd per zone at a time: requests have one consumer, and a second
 * reader would see only some of them.
 */
int bh_ioreq_fd(struct bh_zone *z)
{
	int fd;

	spin_lock(&z->io_lock);
	if (z->io_open) {
		spin_unlock(&z->io_lock);
		return -EBUSY;
	}
	z->io_open = true;
	spin_unlock(&z->io_lock);

	kref_get(&z->ref);
	fd = anon_inode_getfd("[bulkhead-io]", &bh_io_fops, z,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		spin_lock(&z->io_lock);
		z->io_open = false;
		spin_unlock(&z->io_lock);
		bh_zone_put(z);
	}
	return fd;
}
