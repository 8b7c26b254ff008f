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
    check(ticks * 10 >= want * 9 && ticks * 10 <= want * 11,
          "%llu timer interrupts in %llu ms at %llu Hz, expected %llu +-10%%", static_cast<ull>(ticks),
          static_cast<ull>(ms), static_cast<ull>(hz), static_cast<ull>(want));
    print("%llu timer interrupts in %llu ms of counter time at %llu Hz\n", static_cast<ull>(ticks),
          static_cast<ull>(ms), static_cast<ull>(hz));
}

} // namespace bh::test
