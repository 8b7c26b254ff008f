// SPDX-License-Identifier: GPL-2.0-only
// Polling with a bound, on either architecture's counter (<guest/timer.hpp>
// includes this at its end, so every test that has the timer has it).
#pragma once

#include <guest/timer.hpp>

namespace bh::timer {

// Polls `done` until it returns true or `ms` milliseconds of counter time
// have passed; whether it came true.
template <typename F>
bool wait_for(F done, u64 ms) {
    u64 end = counter() + ms_to_ticks(ms);
    while (!done())
        if (counter() > end) return false;
    return true;
}

} // namespace bh::timer
