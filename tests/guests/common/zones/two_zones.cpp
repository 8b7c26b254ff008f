// SPDX-License-Identifier: GPL-2.0-only
// Two zones at once (built twice, ZONE_TAG = "alpha" / "beta"): each prints
// numbered lines with busy-wait pauses between them. The runner checks that
// every line arrives, tagged with the zone that printed it and no other.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

#ifndef ZONE_TAG
#error "ZONE_TAG must name the zone"
#endif

using namespace bh;

extern "C" void zone_main(u64) {
    test::begin("two-zones-" ZONE_TAG);
    hc::ZoneSelf self = hc::zone_self();
    test::check(self.status == BH_OK, "ZONE_SELF returned %lld", static_cast<long long>(self.status));
    print("zone %s: handle 0x%llx, vCPU %llu of %llu, %llu KiB of RAM\n", ZONE_TAG,
          static_cast<unsigned long long>(self.handle), static_cast<unsigned long long>(self.vcpu),
          static_cast<unsigned long long>(self.vcpus), static_cast<unsigned long long>(self.memory_bytes >> 10));
    constexpr u32 kLines = 10;
    for (u32 i = 1; i <= kLines; ++i) {
        print("%s line %u of %u\n", ZONE_TAG, i, kLines);
        timer::delay_ms(40);
    }
    test::finish();
}
