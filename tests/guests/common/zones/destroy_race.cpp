// SPDX-License-Identifier: GPL-2.0-only
// Hole 3 of the attacker's review, performed: a zone's vCPUs restart each
// other (hammer.cpp) while this privileged zone stops and destroys it, 500
// times. Destroy detaches vCPUs one by one; a sibling still in an exit must
// not restart one already detached, or the zone is freed with that vCPU on
// a run queue. Afterwards the hypervisor's free memory must be what it was,
// and a new zone must get the first child's frames again.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/layout.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>
#include <guest/zone_admin.hpp>

extern "C" {
extern char child_hammer_start[], child_hammer_end[];
}

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u32 kRounds = 500;
constexpr u64 kChildMemory = 2u << 20;
constexpr u64 kTimeoutMs = 10000;

// Creates, loads and starts a hammering child; returns its handle.
u64 launch(u64& first_frame) {
    SmcccResult c = hc::zone_create("hammer", 6, kChildMemory, 3);
    if (c.status != BH_OK) test::fail("ZONE_CREATE returned %lld", static_cast<long long>(c.status));
    first_frame = hc::zone_status(c.r1).first_frame;
    u64 len = static_cast<u64>(child_hammer_end - child_hammer_start);
    BH_EXPECT_EQ(hc::zone_load(c.r1, kRamBase, child_hammer_start, len), BH_OK);
    BH_EXPECT_EQ(hc::zone_set_entry(c.r1, 0, kRamBase, 0), BH_OK);
    BH_EXPECT_EQ(hc::zone_start(c.r1), BH_OK);
    return c.r1;
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("destroy-race");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    hc::HostInfo before = hc::host_info();
    BH_EXPECT_EQ(before.status, BH_OK);
    u64 first = 0, busy = 0;
    for (u32 round = 0; round < kRounds; ++round) {
        u64 frame;
        u64 h = launch(frame);
        if (round == 0) first = frame;
        // Let the vCPUs get going for a varying while: 0 to ~1 ms.
        u64 until = timer::counter() + timer::frequency() * (round % 8 * 150) / 1000000;
        while (timer::counter() < until) hc::yield();
        BH_EXPECT_EQ(hc::zone_stop(h), BH_OK);
        for (u64 give_up = timer::counter() + timer::ms_to_ticks(kTimeoutMs);;) {
            i64 rc = hc::zone_destroy(h);
            if (rc == BH_OK) break;
            if (rc != BH_ERR_BUSY || timer::counter() >= give_up)
                test::fail("round %u: ZONE_DESTROY returned %lld", round, static_cast<long long>(rc));
            ++busy;
            hc::yield();
        }
        if (hc::zone_status(h).status != BH_ERR_NOT_FOUND)
            test::fail("round %u: the destroyed zone is still there", round);
    }
    hc::HostInfo after = hc::host_info();
    print("%u rounds, destroy busy %llu times; free memory %llu KiB before, %llu KiB after, zones %llu\n", kRounds,
          static_cast<ull>(busy), static_cast<ull>(before.free_bytes >> 10), static_cast<ull>(after.free_bytes >> 10),
          static_cast<ull>(after.zones));
    test::check(after.free_bytes == before.free_bytes, "free memory changed: %llu -> %llu bytes",
                static_cast<ull>(before.free_bytes), static_cast<ull>(after.free_bytes));
    BH_EXPECT_EQ(after.zones, before.zones);
    u64 frame;
    u64 h = launch(frame);
    test::check(frame == first, "the last child got frame 0x%llx, the first had 0x%llx", static_cast<ull>(frame),
                static_cast<ull>(first));
    BH_EXPECT_EQ(hc::zone_stop(h), BH_OK);
    BH_EXPECT_EQ(admin::destroy_retrying(h, kTimeoutMs), BH_OK);
    test::finish();
}
