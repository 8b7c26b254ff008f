// SPDX-License-Identifier: GPL-2.0-only
// A control plane's launch, without the control domain: this privileged
// zone makes Linux zones at run time from the zone kernel and initramfs
// the manifest placed in its RAM (ZONE_CREATE, ZONE_LOAD, ZONE_BOOT_LINUX,
// ZONE_START), waits for each to end by its event, checks the workload's
// exit status, destroys it and sees every byte of memory come back. It also
// hands the hypervisor layouts and kernels it must refuse.
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

// Where linux-launch.dts puts the files in this zone's RAM.
constexpr u64 kImageAt = 0x42000000, kInitrdAt = 0x44000000;
constexpr u64 kZoneMemory = 64u << 20, kZoneBase = 0x40000000;
constexpr u32 kRounds = 10; // as many as the control plane's launch loop test
constexpr u64 kTimeoutMs = 60000;

u64 le64(const u8* p) {
    u64 v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

Descriptor desc;

void describe(const Layout& l, const char* command_args, u64 args_len) {
    static const char bootargs[] = "console=ttyAMA0 panic=-1 quiet";
    desc.describe(l, bootargs, sizeof bootargs, command_args, args_len);
}

void launch(u32 round, const Layout& l) {
    char name[16];
    usize name_len = format(name, sizeof name, "linux-%u", round);
    SmcccResult c = hc::zone_create(name, name_len, kZoneMemory, 1);
    if (c.status != BH_OK) test::fail("ZONE_CREATE returned %lld", static_cast<long long>(c.status));
    u64 h = c.r1;
    BH_EXPECT_EQ(hc::zone_load(h, l.kernel, reinterpret_cast<const void*>(kImageAt), l.kernel_size), BH_OK);
    BH_EXPECT_EQ(hc::zone_load(h, l.initrd, reinterpret_cast<const void*>(kInitrdAt), l.initrd_size), BH_OK);

    // Layouts the hypervisor must refuse before it writes anything.
    static const char args[] = "-c\0echo launched round $(hostname); exit 3";
    Layout wrong = l;
    wrong.kernel += 0x1000; // not at text_offset
    describe(wrong, args, sizeof args);
    BH_EXPECT_EQ(hc::zone_boot_linux(h, &desc, desc.length), BH_ERR_INVALID_ARGUMENT);
    wrong = l;
    wrong.initrd = kZoneBase + kZoneMemory - BH_LINUX_BOOT_FDT_BYTES - 0x1000; // runs into the device tree
    describe(wrong, args, sizeof args);
    BH_EXPECT_EQ(hc::zone_boot_linux(h, &desc, desc.length), BH_ERR_INVALID_ARGUMENT);
    wrong = l;
    wrong.initrd = l.kernel; // over the kernel
    describe(wrong, args, sizeof args);
    BH_EXPECT_EQ(hc::zone_boot_linux(h, &desc, desc.length), BH_ERR_INVALID_ARGUMENT);

    describe(l, args, sizeof args);
    boot_and_reap(h, desc, round, 3, kTimeoutMs);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("linux-launcher");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    const u8* image = reinterpret_cast<const u8*>(kImageAt);
    test::check(image[56] == 'A' && image[57] == 'R' && image[58] == 'M' && image[59] == 0x64,
                "no arm64 Image at %#llx", static_cast<ull>(kImageAt));
    Layout l;
    l.kernel = kZoneBase + le64(image + 8); // the RAM base is 2 MiB aligned
    l.kernel_size = le64(image + 16);
    l.initrd_size = cpio_length(reinterpret_cast<const u8*>(kInitrdAt), 16u << 20);
    test::check(l.initrd_size != 0, "no newc archive at %#llx", static_cast<ull>(kInitrdAt));
    l.initrd = (kZoneBase + kZoneMemory - BH_LINUX_BOOT_FDT_BYTES - l.initrd_size) & ~u64(0xfff);

    // Something that is not an Image is refused.
    {
        SmcccResult c = hc::zone_create("not-linux", 9, kZoneMemory, 1);
        BH_EXPECT_EQ(c.status, BH_OK);
        BH_EXPECT_EQ(hc::zone_load(c.r1, l.kernel, reinterpret_cast<const void*>(kInitrdAt), 4096), BH_OK);
        static const char args[] = "-c\0true";
        describe(l, args, sizeof args);
        BH_EXPECT_EQ(hc::zone_boot_linux(c.r1, &desc, desc.length), BH_ERR_INVALID_ARGUMENT);
        BH_EXPECT_EQ(admin::destroy_retrying(c.r1, 10000), BH_OK);
    }

    hc::HostInfo before = hc::host_info();
    for (u32 r = 1; r <= kRounds; ++r) launch(r, l);
    hc::HostInfo after = hc::host_info();
    BH_EXPECT_EQ(after.free_bytes, before.free_bytes);
    BH_EXPECT_EQ(after.zones, before.zones);
    print("linux-launcher: %u Linux zones launched and destroyed; free memory %llu KiB before and after\n", kRounds,
          static_cast<ull>(after.free_bytes >> 10));
    test::finish();
}
