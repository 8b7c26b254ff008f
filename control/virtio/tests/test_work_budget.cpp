// SPDX-License-Identifier: GPL-2.0-only
// The chains-per-second token bucket.
#include <bulkhead/virtio/work_budget.hpp>

#include <catch2/catch.hpp>

using namespace bh::virtio;

namespace {
constexpr u64 kS = WorkBudget::kNsPerSecond;
}

TEST_CASE("virtio budget: starts full, spends, refills with time up to the burst", "[virtio][budget]") {
    WorkBudget b(100, 10);
    b.refill(5 * kS);
    CHECK(b.available() == 10);
    b.consume(7);
    CHECK(b.available() == 3);
    b.consume(50); // more than there is: empty, not negative
    CHECK(b.available() == 0);
    CHECK(b.next_refill_ns() == 5 * kS + kS / 100);
    b.refill(5 * kS + kS / 100 - 1);
    CHECK(b.available() == 0);
    b.refill(5 * kS + kS / 100);
    CHECK(b.available() == 1);
    b.refill(5 * kS + 5 * kS / 100);
    CHECK(b.available() == 5);
    b.refill(1000 * kS); // a long quiet spell: just full
    CHECK(b.available() == 10);
}

TEST_CASE("virtio budget: slow trickles of time are not lost to rounding", "[virtio][budget]") {
    WorkBudget b(3, 100); // one unit every 333,333,333.3 ns
    b.refill(0);
    b.consume(100);
    u64 t = 0;
    for (int i = 0; i < 3000; ++i) b.refill(t += kS / 1000); // 3 s in 1 ms steps
    CHECK(b.available() == 9);
}

TEST_CASE("virtio budget: extreme clocks and rates", "[virtio][budget]") {
    WorkBudget b(~u32{0}, ~u32{0});
    b.refill(0);
    b.consume(~u32{0});
    b.refill(~u64{0}); // no overflow on the longest interval
    CHECK(b.available() == ~u32{0});
    b.consume(5);
    b.refill(1); // the clock went back: nothing earned, nothing broken
    CHECK(b.available() == ~u32{0} - 5);

    WorkBudget unlimited(0, 0);
    unlimited.consume(1'000'000);
    CHECK(unlimited.available() == ~u32{0});
    CHECK(unlimited.next_refill_ns() == 0);

    WorkBudget zero_burst(10, 0); // at least one
    zero_burst.refill(0);
    CHECK(zero_burst.available() == 1);
}
