// SPDX-License-Identifier: GPL-2.0-only
// An unprivileged zone makes thousands of hypercalls with random function
// numbers (Bulkhead's range and anything else) and random arguments. Every
// call must come back with one of the ABI's statuses, management calls
// must all be refused, and the zone must be intact afterwards. (Calls that
// end or reshape the zone itself - ZONE_EXIT, PSCI - are left out.) The
// seed is the boot argument (test::seed_from).
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/random.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ll = long long;

namespace {

constexpr u32 kCalls = 5000;

bool ends_or_reshapes_the_zone(u64 fn) {
    u64 f = fn & 0xffffffff;
    bool psci = (fn >> 32) == 0 && ((f & 0xbfffffe0) == 0x84000000 || (f & 0xffff0000) == 0x80000000);
    return psci || fn == BH_HC_ZONE_EXIT;
}

} // namespace

extern "C" void zone_main(u64 boot_argument) {
    test::begin("hypercall-fuzz");
    test::XorShift64 rng(test::seed_from(boot_argument));
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    hc::ZoneSelf before = hc::zone_self();
    u32 by_status[8] = {};
    for (u32 i = 0; i < kCalls; ++i) {
        u64 r = rng.next();
        u64 fn = (r & 3) ? (BH_HC_BASE | (r >> 8 & 0x3f)) : rng.next(); // mostly Bulkhead's numbers
        if (ends_or_reshapes_the_zone(fn)) continue;
        u64 a1 = rng.next(), a2 = rng.next(), a3 = rng.next(), a4 = rng.next();
        if (r & 0x10000) a1 &= 0xff; // small values reach deeper into the checks
        i64 st = hc::call(fn, a1, a2, a3, a4).status;
        if (!test::check(st <= 0 && st >= -7, "call 0x%llx returned %lld", static_cast<unsigned long long>(fn),
                         static_cast<ll>(st)))
            break;
        by_status[-st] = by_status[-st] + 1;
        bool management =
            (fn >> 32) == 0 && (fn & 0xffffffc0) == BH_HC_BASE && (fn & 0x3f) >= 0x10 && (fn & 0x3f) < BH_HC_COUNT;
        if (management)
            test::check(st == BH_ERR_PERMISSION_DENIED, "management call 0x%llx gave %lld",
                        static_cast<unsigned long long>(fn), static_cast<ll>(st));
    }
    print("statuses: ok %u, not supported %u, invalid argument %u, permission denied %u, busy %u\n", by_status[0],
          by_status[1], by_status[2], by_status[3], by_status[7]);
    hc::ZoneSelf after = hc::zone_self();
    BH_EXPECT_EQ(after.handle, before.handle);
    BH_EXPECT_EQ(after.vcpus, before.vcpus);
    BH_EXPECT_EQ(after.memory_bytes, before.memory_bytes);
    test::finish();
}
