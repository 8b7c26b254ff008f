// SPDX-License-Identifier: GPL-2.0-only
// The backend restart policy: back-off doubling, a cap, and giving up
// after too many restarts within the window.
#include <bulkhead/zoned/backend_supervisor.hpp>

#include <catch2/catch.hpp>

using namespace bh::zoned;
using namespace std::chrono_literals;

TEST_CASE("delays double up to the cap, then restarts stop within the window") {
    RestartPolicy policy{4, 60'000ms, 100ms, 300ms};
    RestartTracker tracker;
    Clock::time_point t{};
    CHECK(tracker.next_delay(policy, t) == 100ms);
    CHECK(tracker.next_delay(policy, t + 1s) == 200ms);
    CHECK(tracker.next_delay(policy, t + 2s) == 300ms);
    CHECK(tracker.next_delay(policy, t + 3s) == 300ms);
    CHECK_FALSE(tracker.next_delay(policy, t + 4s));
}

TEST_CASE("restarts older than the window are forgotten") {
    RestartPolicy policy{2, 10'000ms, 100ms, 5'000ms};
    RestartTracker tracker;
    Clock::time_point t{};
    CHECK(tracker.next_delay(policy, t));
    CHECK(tracker.next_delay(policy, t + 1s));
    CHECK_FALSE(tracker.next_delay(policy, t + 2s));
    CHECK(tracker.next_delay(policy, t + 20s) == 100ms);
}
