// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/bulkhead selftest, run as root in the control domain after insmod:
 * creates a zone that makes one forwarded read and one posted write, serves
 * it through the I/O fd and an ioeventfd, maps and checks its RAM, sees it
 * exit with the answered value, and checks the refusals (bad arguments,
 * another zone, an unprivileged opener, re-attach by handle). Given an
 * arm64 Image and an initramfs too, it boots a Linux zone from them
 * (ZONE_LOAD in many bounce-buffer chunks, ZONE_BOOT_LINUX) whose workload
 * exits 7, and reads that status from the zone's end.
 * Usage: bhtest GUEST.BIN [IMAGE INITRD]   (ok/FAIL lines; exit 0/1)
 * Built for arm64 and x86-64 (GUEST.BIN: guest-arm64.S, guest-x86_64.S;
 * IMAGE: an arm64 Image, or an x86 bzImage or PVH vmlinux).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include <bulkhead/abi/linux_boot.h>
#include <bulkhead/abi/zone_layout.h>

#include "bulkhead.h"

#define RAM_BASE 0x40000000ull
/* Where this architecture's zones have slot 0, and its line. */
#if defined(__x86_64__)
#define SLOT0 ((uint64_t)BH_X86_64_VIRTIO_BASE)
#define SLOT0_LINE BH_X86_64_VIRTIO_FIRST_LINE
#define LINUX_BOOTARGS "console=ttyS0 panic=-1 quiet"
#else
#define SLOT0 ((uint64_t)BH_ARM64_VIRTIO_BASE)
#define SLOT0_LINE BH_ARM64_VIRTIO_FIRST_LINE
#define LINUX_BOOTARGS "console=ttyAMA0 panic=-1 quiet"
#endif
#define LINUX_RAM (128ull << 20)
#define RAM_SIZE (16ull << 20)

static int failures;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (cond)                                                  \
			printf("ok: %s\n", #cond);                         \
		else {                                                     \
			printf("FAIL: %s (line %d, errno %d)\n", #cond,    \
			       __LINE__, errno);                           \
			failures++;                                        \
		}                                                          \
	} while (0)

/* ioctl's result, or -errno. */
static long io(int fd, unsigned long cmd, void *arg)
{
	long r = ioctl(fd, cmd, arg);

	return r < 0 ? -errno : r;
}

static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

static int create_with(int dev, const char *name, uint64_t ram, uint32_t flags)
{
	struct bulkhead_zone_create c = { .ram_bytes = ram, .vcpus = 1,
					  .flags = flags };

	strncpy(c.name, name, sizeof(c.name) - 1);
	return io(dev, BULKHEAD_ZONE_CREATE, &c);
}

static int create(int dev, const char *name, uint64_t ram)
{
	return create_with(dev, name, ram, 0);
}

/* The opener without CAP_SYS_ADMIN (still uid 0), then as nobody. */
static void check_unprivileged(void)
{
	pid_t pid = fork();
	int status;

	if (!pid) {
		struct __user_cap_header_struct h = {
			.version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct d[2];
		int ok;

		syscall(SYS_capget, &h, d);
		d[0].effective &= ~(1u << CAP_SYS_ADMIN);
		syscall(SYS_capset, &h, d);
		ok = open("/dev/bulkhead", O_RDWR) < 0 && errno == EPERM;
		if (setuid(65534) == 0)
			ok = ok && open("/dev/bulkhead", O_RDWR) < 0 &&
			     errno == EACCES;
		_exit(ok ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;

	if (f && !fseek(f, 0, SEEK_END)) {
		*len = ftell(f);
		rewind(f);
		buf = malloc(*len);
		if (buf && fread(buf, 1, *len, f) != *len) {
			free(buf);
			buf = NULL;
		}
	}
	if (f)
		fclose(f);
	return buf;
}

static int load(int zfd, uint64_t ipa, const void *src, size_t len)
{
	struct bulkhead_zone_load l = { .ipa = ipa, .src = (uintptr_t)src,
					.len = len };

	return io(zfd, BULKHEAD_ZONE_LOAD, &l);
}

/*
 * Where the Linux zone's files go. arm64: the Image at the RAM base plus
 * its text_offset, the initrd 64 MiB up. x86-64: RAM from 0
 * (BULKHEAD_ZONE_LINUX); the kernel file 64 MiB up, clear of where the
 * kernel runs (from 16 MiB), the initrd at its place below the 32 KiB of
 * start-up tables at RAM's top.
 */
static void linux_places(const char *image, size_t rlen, uint64_t *kernel,
			 uint64_t *initrd)
{
#if defined(__x86_64__)
	(void)image;
	*kernel = BH_X86_64_LINUX_RAM_BASE + (64ull << 20);
	*initrd = (BH_X86_64_LINUX_RAM_BASE + LINUX_RAM - 0x8000 - rlen) &
		  ~0xfffull;
#else
	uint64_t text_offset;

	(void)rlen;
	memcpy(&text_offset, image + 8, 8);
	*kernel = RAM_BASE + text_offset;
	*initrd = RAM_BASE + (64ull << 20);
#endif
}

/* A Linux zone from the control domain, as zoned will launch one. */
static void check_linux(int dev, const char *image_path, const char *initrd_path)
{
	static const char strings[] = LINUX_BOOTARGS "\0"
				      "/bin/sh\0" "-c\0exit 7\0";
	struct bulkhead_zone_boot_linux bl;
	struct bulkhead_zone_info info;
	struct bh_linux_boot *d;
	size_t ilen = 0, rlen = 0;
	char *image = slurp(image_path, &ilen);
	char *initrd = slurp(initrd_path, &rlen);
	uint64_t kernel, initrd_ipa;
	int zfd;

	CHECK(image && initrd && ilen > 64);
	if (!image || !initrd)
		return;
	linux_places(image, rlen, &kernel, &initrd_ipa);
	zfd = create_with(dev, "selftest-linux", LINUX_RAM, BULKHEAD_ZONE_LINUX);
	CHECK(zfd >= 0);
	CHECK(load(zfd, kernel, image, ilen) == 0);
	CHECK(load(zfd, initrd_ipa, initrd, rlen) == 0);

	d = calloc(1, sizeof(*d) + sizeof(strings));
	d->kernel_ipa = kernel;
	d->kernel_size = ilen;
	d->initrd_ipa = initrd_ipa;
	d->initrd_size = rlen;
	d->bootargs_len = strlen(LINUX_BOOTARGS) + 1;
	d->command_len = strlen("/bin/sh") + 1;
	d->args_len = sizeof("-c\0exit 7");
	memcpy(d + 1, strings, sizeof(strings) - 1);
	bl = (struct bulkhead_zone_boot_linux){ .desc = (uintptr_t)d,
		.len = sizeof(*d) + sizeof(strings) - 1 };
	bl.len--; /* lengths that do not add up */
	CHECK(io(zfd, BULKHEAD_ZONE_BOOT_LINUX, &bl) == -EINVAL);
	bl.len++;
	CHECK(io(zfd, BULKHEAD_ZONE_BOOT_LINUX, &bl) == 0);
	CHECK(io(zfd, BULKHEAD_ZONE_START, NULL) == 0);
	CHECK(io(zfd, BULKHEAD_ZONE_PAUSE, NULL) == 0);
	CHECK(io(zfd, BULKHEAD_ZONE_PAUSE, NULL) == -EBUSY);
	CHECK(io(zfd, BULKHEAD_ZONE_RESUME, NULL) == 0);
	CHECK(readable(zfd, 300000));
	CHECK(io(zfd, BULKHEAD_ZONE_INFO, &info) == 0 &&
	      info.end_reason == 8 && info.end_code == 7);
	printf("linux zone: state %u reason %u code %llu\n", info.end_state,
	       info.end_reason, (unsigned long long)info.end_code);
	close(zfd);
	free(d);
	free(image);
	free(initrd);
}

int main(int argc, char **argv)
{
	static char guest[4096];
	struct bulkhead_host_info before, after;
	struct bulkhead_zone_info info, list[8];
	struct bulkhead_zone_list zl = { .zones = (uintptr_t)list, .count = 8 };
	struct bulkhead_zone_map map;
	struct bulkhead_zone_load load;
	struct bulkhead_ioreq rec[4];
	struct bulkhead_ioreq_completion done;
	struct bulkhead_zone_open op = { 0 };
	struct bulkhead_ioeventfd iev;
	struct bulkhead_irqfd irqf;
	struct bulkhead_zone_status st;
	int dev, zfd, zfd2, other, iofd, efd, ifd, gfd;
	uint32_t slot = 0, keep;
	uint64_t count;
	ssize_t glen, n;
	unsigned char *ram;

	if (argc != 2 && argc != 4)
		return 2;
	gfd = open(argv[1], O_RDONLY);
	glen = read(gfd, guest, sizeof(guest));
	CHECK(glen > 0);

	dev = open("/dev/bulkhead", O_RDWR);
	CHECK(dev >= 0);
	CHECK(io(dev, BULKHEAD_HOST_INFO, &before) == 0 && before.cpus > 0);
	printf("host: %u cpus, %llu MiB free, %u zones\n", before.cpus,
	       (unsigned long long)before.free_bytes >> 20, before.zones);

	zfd = create(dev, "selftest", RAM_SIZE);
	CHECK(zfd >= 0);
	CHECK(create(dev, "selftest", RAM_SIZE) == -EEXIST);
	CHECK(create(dev, "Bad Name", RAM_SIZE) == -EINVAL);
	CHECK(create_with(dev, "bad-flags", RAM_SIZE, 1u << 7) == -EINVAL);
	CHECK(io(zfd, BULKHEAD_ZONE_INFO, &info) == 0 && info.ram_bytes == RAM_SIZE);
	CHECK(fcntl(zfd, F_GETFD) & FD_CLOEXEC);

	CHECK(io(zfd, BULKHEAD_ZONE_SERVE, &slot) == 0);
	iofd = io(zfd, BULKHEAD_ZONE_IOREQ_FD, NULL);
	CHECK(iofd >= 0);
	CHECK(io(zfd, BULKHEAD_ZONE_IOREQ_FD, NULL) == -EBUSY);
	efd = eventfd(0, EFD_NONBLOCK);
	iev = (struct bulkhead_ioeventfd){ .fd = efd, .slot = 0,
		.flags = BULKHEAD_IOEVENTFD_DATAMATCH, .queue = 42 };
	CHECK(io(zfd, BULKHEAD_ZONE_IOEVENTFD, &iev) == 0);
	CHECK(io(zfd, BULKHEAD_ZONE_IOEVENTFD, &iev) == -EEXIST);
	iev.slot = 1;
	CHECK(io(zfd, BULKHEAD_ZONE_IOEVENTFD, &iev) == -EINVAL); /* not served */
	ifd = eventfd(0, 0);
	irqf = (struct bulkhead_irqfd){ .fd = ifd, .line = SLOT0_LINE };
	CHECK(io(zfd, BULKHEAD_ZONE_IRQFD, &irqf) == 0);
	irqf.line = SLOT0_LINE + 1;
	CHECK(io(zfd, BULKHEAD_ZONE_IRQFD, &irqf) == -EINVAL);

	load = (struct bulkhead_zone_load){ .ipa = RAM_BASE,
		.src = (uintptr_t)guest, .len = glen };
	CHECK(io(zfd, BULKHEAD_ZONE_LOAD, &load) == 0);
	load.ipa = RAM_BASE + RAM_SIZE - 4;
	CHECK(io(zfd, BULKHEAD_ZONE_LOAD, &load) == -EINVAL);

	CHECK(io(zfd, BULKHEAD_ZONE_MAP, &map) == 0 && map.size == RAM_SIZE);
	CHECK(mmap(NULL, RAM_SIZE + 4096, PROT_READ, MAP_SHARED, zfd, 0) == MAP_FAILED);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, zfd, 0) == MAP_FAILED);
	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, zfd, 0);
	CHECK(ram != MAP_FAILED && memcmp(ram, guest, glen) == 0);
	CHECK(io(zfd, BULKHEAD_ZONE_UNMAP, NULL) == -EBUSY);

	/* Another zone: this fd cannot reach it, and it cannot be mapped
	 * without being served. */
	other = create(dev, "selftest-other", RAM_SIZE);
	CHECK(other >= 0);
	CHECK(io(other, BULKHEAD_ZONE_MAP, &map) == -EPERM);
	CHECK(io(other, BULKHEAD_ZONE_IRQ, &(uint32_t){ SLOT0_LINE }) == -EPERM);

	CHECK(io(zfd, BULKHEAD_ZONE_START, NULL) == 0);
	load.ipa = RAM_BASE;
	CHECK(io(zfd, BULKHEAD_ZONE_LOAD, &load) == -EBUSY); /* started */

	CHECK(readable(iofd, 10000));
	n = read(iofd, rec, sizeof(rec));
	CHECK(n == sizeof(rec[0]));
	CHECK(rec[0].addr == SLOT0 + 8 && rec[0].size == 4 &&
	      rec[0].dir == BULKHEAD_IOREQ_READ && rec[0].vcpu == 0);
	done = (struct bulkhead_ioreq_completion){ .id = rec[0].id, .value = 42 };
	CHECK(write(iofd, &done, sizeof(done)) == sizeof(done));
	CHECK(write(iofd, &done, sizeof(done)) < 0 && errno == EINVAL);
	/* The posted write went to the ioeventfd, not to the I/O fd: the
	 * next record is the read after it. */
	CHECK(readable(iofd, 10000) && read(iofd, rec, sizeof(rec)) == sizeof(rec[0]));
	CHECK(rec[0].addr == SLOT0 && rec[0].dir == BULKHEAD_IOREQ_READ);
	CHECK(readable(efd, 0) && read(efd, &count, 8) == 8 && count == 1);
	done = (struct bulkhead_ioreq_completion){ .id = rec[0].id };
	CHECK(write(iofd, &done, sizeof(done)) == sizeof(done));
	count = 1;
	CHECK(write(ifd, &count, 8) == 8);

	CHECK(readable(zfd, 10000));
	CHECK(io(zfd, BULKHEAD_ZONE_INFO, &info) == 0 &&
	      (info.flags & BULKHEAD_INFO_ENDED) && info.end_state == 2 &&
	      info.end_reason == 1 && info.end_code == 42);
	CHECK(io(zfd, BULKHEAD_ZONE_STATUS, &st) == 0 && st.code == 42);
	CHECK(read(iofd, rec, sizeof(rec)) == 0); /* ended: end of file */
	CHECK(io(dev, BULKHEAD_ZONE_LIST, &zl) == 0 && zl.count == 2);

	CHECK(munmap(ram, RAM_SIZE) == 0);
	CHECK(io(zfd, BULKHEAD_ZONE_UNMAP, NULL) == 0);

	/* Kept across its last close, re-attached by handle, then gone. */
	keep = 1;
	CHECK(io(zfd, BULKHEAD_ZONE_SET_KEEP, &keep) == 0);
	close(zfd);
	op.handle = info.handle;
	zfd2 = io(dev, BULKHEAD_ZONE_OPEN, &op);
	CHECK(zfd2 >= 0);
	keep = 0;
	CHECK(io(zfd2, BULKHEAD_ZONE_SET_KEEP, &keep) == 0);
	close(zfd2);
	CHECK(io(dev, BULKHEAD_ZONE_OPEN, &op) == -ENOENT);
	close(other);
	close(iofd);
	CHECK(io(dev, BULKHEAD_ZONE_LIST, &zl) == 0 && zl.count == 0);
	/* The window's stage-2 table pages stay with the control domain. */
	CHECK(io(dev, BULKHEAD_HOST_INFO, &after) == 0 &&
	      after.free_bytes + (64 << 10) >= before.free_bytes);
	printf("free memory: %lld bytes less than before\n",
	       (long long)(before.free_bytes - after.free_bytes));

	check_unprivileged();
	if (argc == 4)
		check_linux(dev, argv[2], argv[3]);
	printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
	return failures != 0;
}
