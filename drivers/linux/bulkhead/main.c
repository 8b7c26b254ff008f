// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bulkhead control-domain driver: binds to the device tree's "bulkhead"
 * node, registers /dev/bulkhead (host information, zone creation and
 * re-attachment) and drains the hypervisor's events on its event line,
 * routing each to its zone.
 */
#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "drv.h"
#include "hypercall.h"

#ifdef CONFIG_X86_64
bool bh_hc_vmcall;
#endif

/* The ABI's layouts are fixed: a change here is a change of ABI. */
static_assert(sizeof(struct bulkhead_host_info) == 24);
static_assert(sizeof(struct bulkhead_zone_create) == 56);
static_assert(sizeof(struct bulkhead_zone_open) == 16);
static_assert(sizeof(struct bulkhead_zone_info) == 72);
static_assert(sizeof(struct bulkhead_zone_list) == 16);
static_assert(sizeof(struct bulkhead_zone_load) == 24);
static_assert(sizeof(struct bulkhead_zone_entry) == 24);
static_assert(sizeof(struct bulkhead_zone_status) == 24);
static_assert(sizeof(struct bulkhead_zone_boot_linux) == 16);
static_assert(sizeof(struct bulkhead_zone_map) == 16);
static_assert(sizeof(struct bulkhead_ioeventfd) == 16);
static_assert(sizeof(struct bulkhead_irqfd) == 16);
static_assert(sizeof(struct bulkhead_ioreq) == 40);
static_assert(sizeof(struct bulkhead_ioreq_completion) == 16);

/* At most this many entries per ZONE_LIST: the hypervisor has far fewer
 * zone slots, and it bounds the kernel buffer.
 */
#define BH_LIST_MAX 1024

/* How many events one drain handles before it yields the CPU. */
#define BH_EVENT_BATCH 256

struct bh_zone *bh_zone_lookup(struct bh_dev *bh, u64 handle)
{
	struct bh_zone *z, *found = NULL;

	mutex_lock(&bh->lock);
	list_for_each_entry(z, &bh->zones, node) {
		if (z->handle == handle) {
			kref_get(&z->ref);
			found = z;
			break;
		}
	}
	mutex_unlock(&bh->lock);
	return found;
}

static void bh_event(struct bh_dev *bh, const struct bh_hc_res *ev)
{
	struct bh_zone *z = bh_zone_lookup(bh, ev->r[1]);

	switch (ev->r[0]) {
	case BH_EVENT_IOREQ:
		/* EVENT_NEXT repeats while the zone has requests: they must
		 * be pulled even for a zone we no longer know (a previous
		 * load of this driver made it), or the drain never ends.
		 */
		if (z)
			bh_ioreq_pull(bh, z);
		else
			bh_ioreq_discard(bh, ev->r[1]);
		break;
	case BH_EVENT_ZONE_ENDED:
		if (z)
			bh_zone_ended(z, ev->r[2], ev->r[3]);
		break;
	default:
		dev_warn_ratelimited(bh->dev, "unknown event %llu\n", ev->r[0]);
		break;
	}
	if (z)
		bh_zone_put(z);
}

/*
 * The event line is an edge that only says "look": ask until there is
 * nothing left. An event that arrives after the last EVENT_NEXT raises the
 * line again, and the IRQ core re-runs this thread, so none is lost.
 */
static void bh_events_drain(struct bh_dev *bh)
{
	struct bh_hc_res ev;
	unsigned int n;
	long st;

	mutex_lock(&bh->event_lock);
	for (n = 0;; n++) {
		if (n && n % BH_EVENT_BATCH == 0)
			cond_resched();
		st = bh_hc(BH_HC_EVENT_NEXT, 0, 0, 0, 0, &ev);
		if (st == BH_ERR_NOT_FOUND)
			break;
		if (st != BH_OK) {
			dev_err_ratelimited(bh->dev, "EVENT_NEXT: status %ld\n", st);
			break;
		}
		bh_event(bh, &ev);
	}
	mutex_unlock(&bh->event_lock);
}

static irqreturn_t bh_event_thread(int irq, void *data)
{
	bh_events_drain(data);
	return IRQ_HANDLED;
}

static int bh_host_info(void __user *arg)
{
	struct bulkhead_host_info info = {};
	struct bh_hc_res res;
	int ret;

	ret = bh_errno(bh_hc(BH_HC_HOST_INFO, 0, 0, 0, 0, &res));
	if (ret)
		return ret;
	info.cpus = res.r[0];
	info.free_bytes = res.r[1];
	info.total_bytes = res.r[2];
	info.zones = res.r[3];
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static bool bh_name_ok(const char *name)
{
	size_t len = strnlen(name, BULKHEAD_NAME_MAX + 1);
	size_t i;

	if (len == 0 || len > BULKHEAD_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!(isdigit(name[i]) || (name[i] >= 'a' && name[i] <= 'z') ||
		      name[i] == '-' || name[i] == '_'))
			return false;
	return true;
}

/*
 * The zone is created in the hypervisor only once everything that can
 * fail without undoing it is done; a failure after it destroys the zone
 * again, so a failed ioctl leaves nothing behind.
 */
static int bh_zone_create(struct bh_dev *bh, void __user *arg)
{
	struct bulkhead_zone_create req;
	struct bh_hc_res res;
	struct bh_zone *z;
	char *name;
	long st;
	int ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.flags & ~(BULKHEAD_ZONE_KEEP | BULKHEAD_ZONE_LINUX) ||
	    !bh_name_ok(req.name) || req.vcpus == 0 ||
	    req.vcpus > BH_ZONE_VCPUS_MAX || !req.ram_bytes)
		return -EINVAL;

	z = bh_zone_alloc(bh);
	if (!z)
		return -ENOMEM;
	/* The hypervisor reads the name from our RAM: not from the stack,
	 * which may be vmalloc'ed and so not where virt_to_phys says.
	 */
	name = kstrdup(req.name, GFP_KERNEL);
	if (!name) {
		bh_zone_put(z);
		return -ENOMEM;
	}
	st = bh_hc(BH_HC_ZONE_CREATE, virt_to_phys(name), strlen(name),
		   req.ram_bytes, req.vcpus |
		   (req.flags & BULKHEAD_ZONE_LINUX ? BH_ZONE_CREATE_LINUX : 0),
		   &res);
	kfree(name);
	if (st != BH_OK) {
		bh_zone_put(z);
		return st == BH_ERR_BAD_STATE ? -EEXIST : bh_errno(st);
	}
	z->handle = res.r[0];
	z->ram_base = req.flags & BULKHEAD_ZONE_LINUX ? BH_LINUX_RAM_BASE :
							 BH_ZONE_RAM_BASE;
	z->ram_bytes = req.ram_bytes;
	z->vcpus = req.vcpus;
	strscpy(z->name, req.name, sizeof(z->name));

	mutex_lock(&bh->lock);
	list_add_tail(&z->node, &bh->zones);
	z->listed = true;
	mutex_unlock(&bh->lock);

	/* The handle goes out before the fd exists, so a failed copy needs
	 * no fd undone; then the list's reference becomes the file's.
	 */
	req.handle = z->handle;
	if (copy_to_user(arg, &req, sizeof(req))) {
		bh_zone_destroy(z, false);
		return -EFAULT;
	}
	ret = bh_zone_file_open(z, req.flags);
	if (ret < 0)
		bh_zone_destroy(z, false);
	return ret;
}

static int bh_zone_open(struct bh_dev *bh, void __user *arg)
{
	struct bulkhead_zone_open req;
	struct bh_zone *z;
	int ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.flags & ~BULKHEAD_ZONE_KEEP || req.reserved)
		return -EINVAL;
	z = bh_zone_lookup(bh, req.handle);
	if (!z)
		return -ENOENT;
	ret = bh_zone_file_open(z, req.flags);
	bh_zone_put(z);
	return ret;
}

static int bh_zone_list(struct bh_dev *bh, void __user *arg)
{
	struct bulkhead_zone_list req;
	struct bulkhead_zone_info *infos;
	struct bh_zone *z;
	u32 n = 0, cap;
	int ret = 0;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.reserved)
		return -EINVAL;
	cap = min_t(u32, req.count, BH_LIST_MAX);
	infos = kvcalloc(max_t(u32, cap, 1), sizeof(*infos), GFP_KERNEL);
	if (!infos)
		return -ENOMEM;
	mutex_lock(&bh->lock);
	list_for_each_entry(z, &bh->zones, node) {
		if (n < cap)
			bh_zone_info(z, &infos[n]);
		n++;
	}
	mutex_unlock(&bh->lock);

	if (copy_to_user(u64_to_user_ptr(req.zones), infos,
			 (size_t)min(n, cap) * sizeof(*infos)))
		ret = -EFAULT;
	req.count = n;
	if (!ret && copy_to_user(arg, &req, sizeof(req)))
		ret = -EFAULT;
	kvfree(infos);
	return ret;
}

static long bh_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct bh_dev *bh = container_of(file->private_data, struct bh_dev, misc);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case BULKHEAD_HOST_INFO:
		return bh_host_info(uarg);
	case BULKHEAD_ZONE_CREATE:
		return bh_zone_create(bh, uarg);
	case BULKHEAD_ZONE_OPEN:
		return bh_zone_open(bh, uarg);
	case BULKHEAD_ZONE_LIST:
		return bh_zone_list(bh, uarg);
	default:
		return -ENOTTY;
	}
}

/* The file mode (0600) keeps other users out; the capability keeps out a
 * root process that has dropped its privileges, such as a zone backend.
 */
static int bh_dev_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

static const struct file_operations bh_dev_fops = {
	.owner = THIS_MODULE,
	.open = bh_dev_open,
	.unlocked_ioctl = bh_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static int bh_probe(struct platform_device *pdev)
{
	struct bh_hc_res res;
	struct bh_dev *bh;
	long st;
	int ret;

	if (bh_hc_detect()) {
		dev_err(&pdev->dev, "no Bulkhead hypervisor (CPUID)\n");
		return -ENODEV;
	}
	st = bh_hc(BH_HC_VERSION, 0, 0, 0, 0, &res);
	if (st != BH_OK || (res.r[0] >> 16) != BH_VERSION_MAJOR) {
		dev_err(&pdev->dev, "no Bulkhead hypervisor (status %ld)\n", st);
		return -ENODEV;
	}
	/* A zone without the management right gets PERMISSION_DENIED. */
	st = bh_hc(BH_HC_HOST_INFO, 0, 0, 0, 0, &res);
	if (st != BH_OK) {
		dev_err(&pdev->dev, "not a privileged zone (status %ld)\n", st);
		return -ENODEV;
	}

	bh = devm_kzalloc(&pdev->dev, sizeof(*bh), GFP_KERNEL);
	if (!bh)
		return -ENOMEM;
	bh->dev = &pdev->dev;
	mutex_init(&bh->lock);
	mutex_init(&bh->event_lock);
	INIT_LIST_HEAD(&bh->zones);
	bh->ioreq_buf = devm_kzalloc(&pdev->dev, 64, GFP_KERNEL);
	if (!bh->ioreq_buf)
		return -ENOMEM;
	ret = bh_window_init(bh);
	if (ret)
		return ret;

	bh->irq = platform_get_irq(pdev, 0);
	if (bh->irq < 0)
		return bh->irq;
	ret = devm_request_threaded_irq(&pdev->dev, bh->irq, NULL,
					bh_event_thread, IRQF_ONESHOT,
					"bulkhead-events", bh);
	if (ret)
		return ret;

	bh->misc.minor = MISC_DYNAMIC_MINOR;
	bh->misc.name = "bulkhead";
	bh->misc.fops = &bh_dev_fops;
	bh->misc.mode = 0600;
	ret = misc_register(&bh->misc);
	if (ret)
		return ret;
	platform_set_drvdata(pdev, bh);

	/* Events raised before the driver loaded found no handler. */
	bh_events_drain(bh);
	dev_info(&pdev->dev, "Bulkhead %llu.%llu, event line %d\n",
		 res.r[0] >> 16, res.r[0] & 0xffff, bh->irq);
	return 0;
}

/*
 * Only on module unload (bind attributes are suppressed), so no file of
 * this driver is open: the zones left are kept ones, and they go with it.
 */
static int bh_remove(struct platform_device *pdev)
{
	struct bh_dev *bh = platform_get_drvdata(pdev);
	struct bh_zone *z;

	misc_deregister(&bh->misc);
	devm_free_irq(&pdev->dev, bh->irq, bh);
	for (;;) {
		mutex_lock(&bh->lock);
		z = list_first_entry_or_null(&bh->zones, struct bh_zone, node);
		if (z)
			kref_get(&z->ref);
		mutex_unlock(&bh->lock);
		if (!z)
			break;
		bh_zone_destroy(z, true);
		bh_zone_put(z);
	}
	return 0;
}

/* arm64: the device tree's bulkhead node; x86-64: the DSDT's BLKH0001. */
static const struct of_device_id bh_of_match[] = {
	{ .compatible = "bulkhead,control-v1" },
	{ }
};
MODULE_DEVICE_TABLE(of, bh_of_match);

static const struct acpi_device_id bh_acpi_match[] = {
	{ "BLKH0001", 0 },
	{ }
};
MODULE_DEVICE_TABLE(acpi, bh_acpi_match);

static struct platform_driver bh_driver = {
	.probe = bh_probe,
	.remove = bh_remove,
	.driver = {
		.name = "bulkhead",
		.of_match_table = bh_of_match,
		.acpi_match_table = bh_acpi_match,
		.suppress_bind_attrs = true,
	},
};
module_platform_driver(bh_driver);

MODULE_DESCRIPTION("Bulkhead hypervisor control-domain interface");
MODULE_LICENSE("GPL");
