// SPDX-License-Identifier: GPL-2.0-only
// The zone others attack. It fills all its free memory with a marker, then
// waits 1.5 s of counter time driven by its own timer interrupts (so an
// intruder that managed to switch off the real GIC would stall it), then
// checks that the marker is intact.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/hypercall.hpp>
#include <guest/layout.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

#include "../../common/zones/marker.hpp"

using namespace bh;

namespace {

constexpr u64 kWaitMs = 1500;
constexpr u64 kTickHz = 100;
constexpr u64 kGiveUpMs = 6000;

void fill(u64 start, u64 end) {
    for (u64 a = start; a < end; a += 8) *reinterpret_cast<volatile u64*>(a) = kMarker64;
    dsb();
}

u64 count_damage(u64 start, u64 end, u64& first) {
    u64 bad = 0;
    for (u64 a = start; a < end; a += 8) {
        if (*reinterpret_cast<volatile u64*>(a) != kMarker64) {
            if (bad == 0) first = a;
            ++bad;
        }
    }
    return bad;
}

void wait_on_timer() {
    gic::init_distributor();
    gic::init_cpu();
    irq_enable();
    u64 start = timer::counter();
    u64 give_up = start + timer::ms_to_ticks(kGiveUpMs);
    u64 want = kWaitMs * kTickHz / 1000;
    timer::start_periodic(timer::frequency() / kTickHz);
    while (timer::periodic_ticks() < want && timer::counter() < give_up) wfi();
    timer::stop_periodic();
    u64 ticks = timer::periodic_ticks();
    u64 ms = timer::ticks_to_ns(timer::counter() - start) / 1000000;
    test::check(ticks >= want, "only %llu of %llu timer interrupts arrived in %llu ms",
                static_cast<unsigned long long>(ticks), static_cast<unsigned long long>(want),
                static_cast<unsigned long long>(ms));
    print("waited %llu ms on %llu timer interrupts\n", static_cast<unsigned long long>(ms),
          static_cast<unsigned long long>(ticks));
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("isolation-victim");
    hc::ZoneSelf self = hc::zone_self();
    if (self.status != BH_OK)
        test::error("ZONE_SELF failed (%lld): not in a zone", static_cast<long long>(self.status));
    u64 start = free_memory_start();
    u64 end = kRamBase + self.memory_bytes;
    fill(start, end);
    print("filled [0x%llx, 0x%llx) with the marker; waiting %llu ms\n", static_cast<unsigned long long>(start),
          static_cast<unsigned long long>(end), static_cast<unsigned long long>(kWaitMs));
    wait_on_timer();
    u64 first = 0;
    u64 bad = count_damage(start, end, first);
    test::check(bad == 0, "%llu words of the marker changed, the first at 0x%llx", static_cast<unsigned long long>(bad),
                static_cast<unsigned long long>(first));
    test::finish();
}
