// SPDX-License-Identifier: GPL-2.0-only
// A control plane's launch on x86-64, without the control domain: this
// privileged zone makes Linux zones at run time (ZONE_CREATE with
// BH_ZONE_CREATE_LINUX: RAM from 0; ZONE_LOAD of the kernel file and the
// initramfs anywhere clear of where the kernel runs; ZONE_BOOT_LINUX;
// ZONE_START) from the zone kernel, as a PVH vmlinux and as a bzImage,
// which the manifest placed in its RAM; waits for each to end by its
// event, checks the workload's exit status, destroys it and sees every
// byte of memory come back. It also hands the hypervisor layouts and
// kernels it must refuse, each before anything is written.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/format.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone_admin.hpp>

#include "../../common/zones/linux_launch.hpp"

using namespace bh;
using namespace bh::linux_launch;
using ull = unsigned long long;

namespace {

// Where x86_64/linux-launch.dts puts the files in this zone's RAM.
constexpr u64 kBzImageAt = 0x41000000, kVmlinuxAt = 0x42000000, kInitrdAt = 0x44000000;
constexpr u64 kZoneMemory = 64u << 20;
// In the launched zone (RAM [0, 64 MiB)): the kernel runs from 16 MiB to
// about 33 MiB; its file goes above that; the initrd where the hypervisor
// puts it (below the 32 KiB of start-up tables at the top), so that it
// need not move.
constexpr u64 kFileAt = 40u << 20, kBootTables = 0x8000;
constexpr u32 kRounds = 4; // PVH, bzImage, PVH, bzImage
constexpr u64 kTimeoutMs = 120000;

u64 le(const u8* p, unsigned bytes) {
    u64 v = 0;
    for (unsigned i = bytes; i-- > 0;) v = (v << 8) | p[i];
    return v;
}

// The vmlinux's length: its section headers come last.
u64 elf_length(const u8* f) { return le(f + 0x28, 8) + le(f + 0x3c, 2) * le(f + 0x3a, 2); }
// The bzImage's: its setup sectors and syssize paragraphs.
u64 bzimage_length(const u8* f) { return (u64(f[0x1f1] ? f[0x1f1] : 4) + 1) * 512 + le(f + 0x1f4, 4) * 16; }

Descriptor desc;

void describe(const Layout& l, const char* args, u64 args_len) {
    static const char bootargs[] = "console=ttyS0 panic=-1 quiet";
    desc.describe(l, bootargs, sizeof bootargs, args, args_len);
}

u64 create(const char* name, u64 name_len, u64 flags) {
    SmcccResult c = hc::zone_create(name, name_len, kZoneMemory, 1 | flags);
    if (c.status != BH_OK) test::fail("ZONE_CREATE of %s returned %lld", name, static_cast<long long>(c.status));
    return c.r1;
}

void load(u64 h, const Layout& l, u64 kernel_src) {
    BH_EXPECT_EQ(hc::zone_load(h, l.kernel, reinterpret_cast<const void*>(kernel_src), l.kernel_size), BH_OK);
    BH_EXPECT_EQ(hc::zone_load(h, l.initrd, reinterpret_cast<const void*>(kInitrdAt), l.initrd_size), BH_OK);
}

void launch(u32 round, const Layout& l, u64 kernel_src) {
    char name[16];
    usize name_len = format(name, sizeof name, "linux-%u", round);
    u64 h = create(name, name_len, BH_ZONE_CREATE_LINUX);
    load(h, l, kernel_src);

    // Layouts the hypervisor must refuse before it writes anything.
    static const char args[] = "-c\0echo launched round $(hostname) on $(uname -m); exit 3";
    Layout wrong = l;
    wrong.kernel = 20u << 20; // the file where the kernel will run
    describe(wrong, args, sizeof args);
    BH_EXPECT_EQ(hc::zone_boot_linux(h, &desc, desc.length), BH_ERR_INVALID_ARGUMENT);
    wrong = l;
    wrong.initrd = l.kernel + 0x1000; // over the kernel file
    describe(wrong, args, sizeof args);
    BH_EXPECT_EQ(hc::zone_boot_linux(h, &desc, desc.length), BH_ERR_INVALID_ARGUMENT);
    wrong = l;
    wrong.initrd = l.initrd - 0x1000; // half over its own place
    describe(wrong, args, sizeof args);
    BH_EXPECT_EQ(hc::zone_boot_linux(h, &desc, desc.length), BH_ERR_INVALID_ARGUMENT);
    wrong = l;
    wrong.kernel_size = l.kernel_size / 2; // cut short
    describe(wrong, args, sizeof args);
    BH_EXPECT_EQ(hc::zone_boot_linux(h, &desc, desc.length), BH_ERR_INVALID_ARGUMENT);

    describe(l, args, sizeof args);
    boot_and_reap(h, desc, round, 3, kTimeoutMs);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("linux-launcher");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    const u8* vmlinux = reinterpret_cast<const u8*>(kVmlinuxAt);
    const u8* bzimage = reinterpret_cast<const u8*>(kBzImageAt);
    test::check(le(vmlinux, 4) == 0x464c457f, "no vmlinux at %#llx", static_cast<ull>(kVmlinuxAt));
    test::check(le(bzimage + 0x202, 4) == 0x53726448, "no bzImage at %#llx", static_cast<ull>(kBzImageAt));
    Layout pvh, bz;
    pvh.kernel = bz.kernel = kFileAt;
    pvh.kernel_size = elf_length(vmlinux);
    bz.kernel_size = bzimage_length(bzimage);
    pvh.initrd_size = bz.initrd_size = cpio_length(reinterpret_cast<const u8*>(kInitrdAt), 16u << 20);
    test::check(pvh.initrd_size != 0, "no newc archive at %#llx", static_cast<ull>(kInitrdAt));
    pvh.initrd = bz.initrd = (kZoneMemory - kBootTables - pvh.initrd_size) & ~u64(0xfff);
    print("linux-launcher: vmlinux %llu KiB, bzImage %llu KiB, initramfs %llu KiB\n",
          static_cast<ull>(pvh.kernel_size >> 10), static_cast<ull>(bz.kernel_size >> 10),
          static_cast<ull>(pvh.initrd_size >> 10));
    static const char args[] = "-c\0true";

    // Something that is not a kernel is refused.
    {
        u64 h = create("not-linux", 9, BH_ZONE_CREATE_LINUX);
        Layout junk = bz;
        junk.kernel_size = 4096;
        BH_EXPECT_EQ(hc::zone_load(h, junk.kernel, reinterpret_cast<const void*>(kInitrdAt), 4096), BH_OK);
        describe(junk, args, sizeof args);
        BH_EXPECT_EQ(hc::zone_boot_linux(h, &desc, desc.length), BH_ERR_INVALID_ARGUMENT);
        BH_EXPECT_EQ(admin::destroy_retrying(h, 10000), BH_OK);
    }
    // A zone made without BH_ZONE_CREATE_LINUX has its RAM at 0x40000000,
    // where x86 Linux cannot run; and unknown flags are refused.
    {
        u64 h = create("not-low", 7, 0);
        Layout high = bz;
        high.kernel += 0x40000000;
        high.initrd += 0x40000000;
        load(h, high, kBzImageAt);
        describe(high, args, sizeof args);
        BH_EXPECT_EQ(hc::zone_boot_linux(h, &desc, desc.length), BH_ERR_INVALID_ARGUMENT);
        BH_EXPECT_EQ(admin::destroy_retrying(h, 10000), BH_OK);
        BH_EXPECT_EQ(hc::zone_create("odd", 3, kZoneMemory, 1 | (BH_ZONE_CREATE_LINUX << 1)).status,
                     BH_ERR_INVALID_ARGUMENT);
    }

    hc::HostInfo before = hc::host_info();
    for (u32 r = 1; r <= kRounds; ++r) launch(r, r % 2 ? pvh : bz, r % 2 ? kVmlinuxAt : kBzImageAt);
    hc::HostInfo after = hc::host_info();
    BH_EXPECT_EQ(after.free_bytes, before.free_bytes);
    BH_EXPECT_EQ(after.zones, before.zones);
    print("linux-launcher: %u Linux zones launched and destroyed; free memory %llu KiB before and after\n", kRounds,
          static_cast<ull>(after.free_bytes >> 10));
    test::finish();
}
