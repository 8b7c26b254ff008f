// SPDX-License-Identifier: GPL-2.0-only
// An unprivileged zone tries every management call, aimed at the manager
// (manifest slot 0) and at the first zone the manager creates (slot 2). Each
// must be refused with PERMISSION_DENIED before any argument is looked at.
// It keeps trying for a while so that its attempts overlap the manager's
// work; the manager's own SUCCESS then shows that nothing changed.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;

namespace {

constexpr u64 kAttackMs = 500;
const char kName[] = "sneaky";
alignas(16) const u8 kPayload[16] = {};

void expect_denied(const char* call, u64 handle, i64 status, bool report) {
    test::check(status == BH_ERR_PERMISSION_DENIED, "%s(0x%llx) returned %lld, expected %d", call,
                static_cast<unsigned long long>(handle), static_cast<long long>(status), BH_ERR_PERMISSION_DENIED);
    if (report)
        print("%s(0x%llx) -> %lld\n", call, static_cast<unsigned long long>(handle), static_cast<long long>(status));
}

void attack(u64 h, bool report) {
    expect_denied("ZONE_LOAD", h, hc::zone_load(h, 0x40000000, kPayload, sizeof kPayload), report);
    expect_denied("ZONE_SET_ENTRY", h, hc::zone_set_entry(h, 0, 0x40000000, 0), report);
    expect_denied("ZONE_START", h, hc::zone_start(h), report);
    expect_denied("ZONE_STOP", h, hc::zone_stop(h), report);
    expect_denied("ZONE_DESTROY", h, hc::zone_destroy(h), report);
    expect_denied("ZONE_STATUS", h, hc::zone_status(h).status, report);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("management-denied");
    const u64 targets[] = {hc::manifest_handle(0), hc::manifest_handle(2)};
    u64 end = timer::counter() + timer::ms_to_ticks(kAttackMs);
    u32 rounds = 0;
    do {
        bool report = rounds == 0;
        expect_denied("ZONE_CREATE", 0, hc::zone_create(kName, sizeof kName - 1, 0x200000, 1).status, report);
        for (u64 h : targets) attack(h, report);
        ++rounds;
    } while (timer::counter() < end && test::failures() == 0);
    print("%u rounds of management calls over %llu ms, all refused\n", rounds,
          static_cast<unsigned long long>(kAttackMs));
    test::finish();
}
