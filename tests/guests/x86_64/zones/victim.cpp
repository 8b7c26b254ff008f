// SPDX-License-Identifier: GPL-2.0-only
// The zone others attack (x86). It fills its free memory with a marker,
// waits 1.5 s of TSC time while the intruder works, then checks that the
// marker is intact. (It polls the TSC and needs no timer interrupts.)
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/layout.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/x86_zone.hpp>
#include <guest/zone.hpp>

#include "../../common/zones/marker.hpp"

using namespace bh;
using ull = unsigned long long;

extern "C" void zone_main(u64) {
    test::begin("isolation-victim");
    hc::ZoneSelf self = hc::zone_self();
    if (self.status != BH_OK)
        test::error("ZONE_SELF failed (%lld): not in a zone", static_cast<long long>(self.status));
    u64 start = free_memory_start();
    u64 end = usable_memory_end(self.memory_bytes);
    for (u64 a = start; a < end; a += 8) *reinterpret_cast<volatile u64*>(a) = kMarker64;
    print("filled [0x%llx, 0x%llx) with the marker; waiting 1500 ms\n", static_cast<ull>(start), static_cast<ull>(end));
    timer::delay_ms(1500);
    u64 bad = 0, first = 0;
    for (u64 a = start; a < end; a += 8) {
        if (*reinterpret_cast<volatile u64*>(a) != kMarker64) {
            if (bad == 0) first = a;
            ++bad;
        }
    }
    test::check(bad == 0, "%llu words of the marker changed, the first at 0x%llx", static_cast<ull>(bad),
                static_cast<ull>(first));
    test::finish();
}
