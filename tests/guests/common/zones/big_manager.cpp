// SPDX-License-Identifier: GPL-2.0-only
// Hole 5 of the attacker's review, the management half: from 800 ms after
// its start until at least 2 s, creates and destroys a zone of half the
// hypervisor's free memory, over and over; each creation scrubs all of it.
// A management call must not hold anything other CPUs wait for while it
// does (the zone-table lock: CPU 0's watchdog check takes it), so the
// ticker on CPU 0 keeps its timer rate while a watchdog falls due.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>
#include <guest/zone_admin.hpp>

using namespace bh;
using ull = unsigned long long;

extern "C" void zone_main(u64) {
    test::begin("big-manager");
    u64 start = timer::counter();
    hc::HostInfo info = hc::host_info();
    BH_EXPECT_EQ(info.status, BH_OK);
    u64 size = info.free_bytes / 2 & ~((u64(2) << 20) - 1);
    while (timer::counter() < start + timer::ms_to_ticks(800)) hc::yield();
    unsigned rounds = 0;
    while (rounds == 0 || timer::counter() < start + timer::ms_to_ticks(2000)) {
        u64 t0 = timer::counter();
        SmcccResult c = hc::zone_create("big", 3, size, 1);
        if (c.status != BH_OK)
            test::fail("ZONE_CREATE of %llu MiB returned %lld", static_cast<ull>(size >> 20),
                       static_cast<long long>(c.status));
        u64 us = timer::ticks_to_ns(timer::counter() - t0) / 1000;
        print("created a %llu MiB zone in %llu us\n", static_cast<ull>(size >> 20), static_cast<ull>(us));
        BH_EXPECT_EQ(admin::destroy_retrying(c.r1, 10000), BH_OK);
        ++rounds;
    }
    test::finish();
}
