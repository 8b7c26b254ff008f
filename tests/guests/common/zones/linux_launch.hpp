// SPDX-License-Identifier: GPL-2.0-only
// What a test zone that launches Linux zones (ZONE_BOOT_LINUX) needs on
// either architecture: the initramfs's length, the descriptor and its
// strings as a control domain's library lays them out, and waiting for a
// zone's end by its creator's event (linux_launcher.cpp in each
// architecture's zones).
#pragma once

#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/types.hpp>
#include <guest/zone_admin.hpp>

extern "C" {
#include <bulkhead/abi/linux_boot.h>
}

namespace bh::linux_launch {

// The newc archive's length: up to the end of its TRAILER!!! entry; 0 if
// there is none in the first `max` bytes.
inline u64 cpio_length(const u8* a, u64 max) {
    static const char trailer[] = "TRAILER!!!";
    for (u64 i = 0; i + 110 + sizeof trailer <= max; i += 4)
        if (__builtin_memcmp(a + i, "070701", 6) == 0 && __builtin_memcmp(a + i + 110, trailer, sizeof trailer) == 0)
            return (i + 110 + sizeof trailer + 3) & ~u64(3);
    return 0;
}

// Where the files are in the launched zone.
struct Layout {
    u64 kernel, kernel_size, initrd, initrd_size;
};

// A descriptor and its strings.
struct alignas(16) Descriptor {
    bh_linux_boot d;
    char strings[256];
    u64 length = 0;

    void add(u32& len, const char* s, u64 n) { // n counts the NULs
        __builtin_memcpy(strings + (length - sizeof d), s, n);
        length += n;
        len = static_cast<u32>(n);
    }
    // `bootargs` and /bin/sh with `args` (NUL-separated, n bytes with the NULs).
    void describe(const Layout& l, const char* bootargs, u64 bootargs_len, const char* args, u64 args_len) {
        *this = Descriptor{};
        d.kernel_ipa = l.kernel;
        d.kernel_size = l.kernel_size;
        d.initrd_ipa = l.initrd;
        d.initrd_size = l.initrd_size;
        length = sizeof d;
        static const char command[] = "/bin/sh";
        add(d.bootargs_len, bootargs, bootargs_len);
        add(d.command_len, command, sizeof command);
        add(d.args_len, args, args_len);
    }
};

// Waits up to `timeout_ms` for the creator's event that zone `h` ended.
inline hc::Event wait_end(u64 h, u64 timeout_ms) {
    u64 end = timer::counter() + timer::ms_to_ticks(timeout_ms);
    while (timer::counter() < end) {
        hc::Event e = hc::event_next();
        if (e.status == BH_OK && e.kind == BH_EVENT_ZONE_ENDED && e.handle == h) return e;
        BH_EXPECT(e.status == BH_ERR_NOT_FOUND || e.status == BH_OK);
        hc::yield();
    }
    test::fail("zone %llx did not end in %llu ms", static_cast<unsigned long long>(h),
               static_cast<unsigned long long>(timeout_ms));
}

// Boots zone `h` as `desc` says (a length that disagrees is refused first,
// a second boot once it runs after), starts it, waits for its end, checks
// its workload exited with `code` and destroys it.
inline void boot_and_reap(u64 h, const Descriptor& desc, u32 round, u64 code, u64 timeout_ms) {
    using ull = unsigned long long;
    BH_EXPECT_EQ(hc::zone_boot_linux(h, &desc, desc.length - 1), BH_ERR_INVALID_ARGUMENT); // lengths disagree
    BH_EXPECT_EQ(hc::zone_boot_linux(h, &desc, desc.length), BH_OK);
    BH_EXPECT_EQ(hc::zone_start(h), BH_OK);
    BH_EXPECT_EQ(hc::zone_boot_linux(h, &desc, desc.length), BH_ERR_BAD_STATE); // too late
    hc::Event e = wait_end(h, timeout_ms);
    print("linux-launcher: round %u: zone ended, state %llu, reason %llu, code %llu\n", round,
          static_cast<ull>(e.detail & 0xff), static_cast<ull>(e.detail >> 8), static_cast<ull>(e.code));
    BH_EXPECT_EQ(e.detail, u64(BH_ZONE_EXITED) | u64(BH_EXIT_WORKLOAD) << 8);
    BH_EXPECT_EQ(e.code, code);
    BH_EXPECT_EQ(admin::destroy_retrying(h, 10000), BH_OK);
}

} // namespace bh::linux_launch
