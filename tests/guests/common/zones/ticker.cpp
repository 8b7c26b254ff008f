// SPDX-License-Identifier: GPL-2.0-only
// Hole 5 of the attacker's review, the victim's side: counts its own 1 kHz
// timer interrupts in [0, 300 ms) of its counter time, then again in
// [1000, 1600 ms) while another zone attacks from 500 or 800 ms on (chatty
// floods the console; big-manager makes huge zones while a watchdog falls
// due), printing lines of its own, which need the console too. The second
// rate must be within 10% of the first. (The attackers are busy in the
// first window too, so the emulator's host load is alike in both.)
// TICKER_TEST names the verdict.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/interrupts.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u64 kHz = 1000;

// Timer interrupts in [from, from + ms) of counter time, printing a short
// line every 50 ms when `talk`.
u64 ticks_between(u64 from, u64 ms, bool talk) {
    u64 period = timer::frequency() / kHz;
    while (timer::counter() < from) {}
    u64 end = from + ms * kHz / 1000 * period;
    timer::start_periodic(period, end, timer::Rearm::catch_up);
    u64 next_line = from;
    unsigned lines = 0;
    while (timer::counter() < end + 5 * period) {
        wfi();
        if (talk && timer::counter() >= next_line && timer::counter() < end) {
            print("ticker: still ticking (%u)\n", ++lines);
            next_line += timer::ms_to_ticks(50);
        }
    }
    timer::stop_periodic();
    // Ticks that only caught up after the vCPU was held up do not count:
    // the rate is the one the zone saw.
    return timer::periodic_ticks() - timer::periodic_late_ticks();
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin(TICKER_TEST);
    interrupts::init_boot_vcpu();
    u64 start = timer::counter();
    u64 quiet = ticks_between(start, 300, false);
    u64 flooded = ticks_between(start + timer::ms_to_ticks(1000), 600, true);
    u64 quiet_rate = quiet * 1000 / 300, flooded_rate = flooded * 1000 / 600;
    print("timer interrupts per second: %llu quiet, %llu during the flood\n", static_cast<ull>(quiet_rate),
          static_cast<ull>(flooded_rate));
    test::check(flooded_rate * 10 >= quiet_rate * 9, "the flood slowed this zone's timer from %llu/s to %llu/s",
                static_cast<ull>(quiet_rate), static_cast<ull>(flooded_rate));
    test::finish();
}
