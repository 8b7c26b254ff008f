// SPDX-License-Identifier: GPL-2.0-only
// Shares a physical CPU with a zone that set CR8 = 15 and halted: waits
// for 50 interrupts of its own 10 ms APIC timer, halting in between. Each
// wake-up needs the hypervisor's timer interrupt on that CPU, so this zone
// finishes only if the other zone's CR8 did not reach the physical APIC.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/lapic.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    test::begin("cr8-ticker");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    constexpr u64 kTicks = 50;
    lapic::init(true);
    timer::start_periodic(timer::ms_to_ticks(10));
    asm volatile("sti" ::: "memory");
    while (timer::periodic_ticks() < kTicks) wfi();
    timer::stop_periodic();
    print("%llu ticks of a 10 ms timer, halting in between\n", static_cast<unsigned long long>(kTicks));
    test::success();
}
