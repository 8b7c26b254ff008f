// SPDX-License-Identifier: GPL-2.0-only
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/timer_rate.hpp>

namespace bh::test {

void check_timer_rate(u64 hz, u64 ms) {
    using ull = unsigned long long;
    u64 period = timer::frequency() / hz;
    u64 end = timer::counter() + ms * hz / 1000 * period;
    timer::start_periodic(period, end);
    // A few periods past the window, so its last interrupt surely lands.
    while (timer::counter() < end + 5 * period) wfi();
    timer::stop_periodic();
    u64 ticks = timer::periodic_ticks();
    u64 want = ms * hz / 1000;
    // Never more than 10% over: nothing but a wrong rate makes extra
    // interrupts. Under, down to two thirds: an emulator whose host thread
    // was preempted misses periods (x86's periodic mode drops them, as the
    // hardware's does), which says nothing about the rate; a timer at half
    // its rate (a divider off by one step) still fails.
    check(ticks * 3 >= want * 2 && ticks * 10 <= want * 11,
          "%llu timer interrupts in %llu ms at %llu Hz, expected %llu (at most 10%% more, a third fewer)",
          static_cast<ull>(ticks), static_cast<ull>(ms), static_cast<ull>(hz), static_cast<ull>(want));
    print("%llu timer interrupts in %llu ms of counter time at %llu Hz\n", static_cast<ull>(ticks),
          static_cast<ull>(ms), static_cast<ull>(hz));
}

} // namespace bh::test
