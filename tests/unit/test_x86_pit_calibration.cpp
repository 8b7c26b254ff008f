// SPDX-License-Identifier: GPL-2.0-only
// Judging a TSC measurement against PIT channel 2 (pit_calibration.hpp).
// The case that made one x86 node run in about 45 fail: the CPU held up
// for longer than the count-down right after starting the PIT. The old
// calibration read the TSC only after that and took the few microseconds
// left as 20 ms (a rate ~1400 times too low, zones' CMOS clocks a day
// ahead); here the count has expired and the measurement is refused.
#include <catch2/catch.hpp>

#include "pit_calibration.hpp"

using namespace bh::x86_64;
using bh::u64;

namespace {

constexpr u64 kTscHz = 3'000'000'000; // the TSC of these made-up readings
constexpr u64 kApicHz = 1'000'000'000;

// A reading taken at `seconds` since the PIT was started, with a bracket of
// `bracket_ticks` TSC ticks around it.
constexpr PitReading reading_at(double seconds, u64 bracket_ticks = 300) {
    PitReading r;
    const auto tsc = static_cast<u64>(seconds * kTscHz) + 1'000'000'000'000;
    r.tsc_before = tsc - bracket_ticks / 2;
    r.tsc_after = tsc + bracket_ticks / 2;
    r.count = static_cast<bh::u16>(kPitStartCount - static_cast<u64>(seconds * kPitHz));
    r.apic = static_cast<bh::u32>(0xffffffffu - static_cast<u64>(seconds * kApicHz));
    return r;
}

bool within(u64 value, u64 want, u64 parts_per_million) {
    const u64 d = value > want ? value - want : want - value;
    return d <= want / 1'000'000 * parts_per_million;
}

} // namespace

TEST_CASE("x86 PIT calibration: a quiet measurement gives the rates, precisely", "[x86][timer]") {
    Calibration c = judge_pit_measurement(reading_at(0.0001), reading_at(0.0501), false);
    CHECK(c.precise);
    CHECK(within(c.tsc_hz, kTscHz, 100));
    CHECK(within(c.apic_hz, kApicHz, 100));
}

TEST_CASE("x86 PIT calibration: held up between the readings changes nothing", "[x86][timer]") {
    // 30 ms lost after the first reading: both clocks ran on.
    Calibration c = judge_pit_measurement(reading_at(0.0001), reading_at(0.0531), false);
    CHECK(c.precise);
    CHECK(within(c.tsc_hz, kTscHz, 100));
}

TEST_CASE("x86 PIT calibration: held up past the count-down, the measurement is refused", "[x86][timer]") {
    // The first reading after 60 ms: the count has run out (OUT2 high),
    // and what it reads has wrapped.
    PitReading a = reading_at(0.0001);
    a.count = 0xff00;
    PitReading b = reading_at(0.0001);
    b.count = 0xfe00; // wrapped: few ticks apart
    b.tsc_before += 10'000;
    b.tsc_after += 10'000;
    CHECK(judge_pit_measurement(a, b, true).tsc_hz == 0);
    // Expired is refused whatever the counts say.
    CHECK(judge_pit_measurement(reading_at(0.0001), reading_at(0.0501), true).tsc_hz == 0);
    // Too few PIT ticks to measure anything.
    CHECK(judge_pit_measurement(reading_at(0.0001), reading_at(0.0101), false).tsc_hz == 0);
    // A count that went up, or TSC readings out of order.
    CHECK(judge_pit_measurement(reading_at(0.0501), reading_at(0.0001), false).tsc_hz == 0);
}

TEST_CASE("x86 PIT calibration: held up while reading, the measurement is imprecise", "[x86][timer]") {
    // 1 ms inside the first bracket: its rate could be 2% off.
    Calibration c = judge_pit_measurement(reading_at(0.0001, kTscHz / 1000), reading_at(0.0501), false);
    CHECK(c.tsc_hz != 0);
    CHECK_FALSE(c.precise);
    // Brackets of tens of microseconds, as in an emulator, still precise.
    c = judge_pit_measurement(reading_at(0.0001, kTscHz / 50'000), reading_at(0.0501, kTscHz / 50'000), false);
    CHECK(c.precise);
}
