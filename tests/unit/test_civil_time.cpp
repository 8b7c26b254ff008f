// SPDX-License-Identifier: GPL-2.0-only
// Seconds since the epoch <-> calendar date and time (bulkhead/civil_time.hpp).
#include <bulkhead/civil_time.hpp>

#include <catch2/catch.hpp>
#include <ctime>

using namespace bh;

namespace {

// The C library's answer, for comparison.
civil::DateTime libc(u64 seconds) {
    const time_t t = static_cast<time_t>(seconds);
    tm g{};
    gmtime_r(&t, &g);
    civil::DateTime d;
    d.year = static_cast<u32>(g.tm_year + 1900);
    d.month = static_cast<u8>(g.tm_mon + 1);
    d.day = static_cast<u8>(g.tm_mday);
    d.hour = static_cast<u8>(g.tm_hour);
    d.minute = static_cast<u8>(g.tm_min);
    d.second = static_cast<u8>(g.tm_sec);
    d.weekday = static_cast<u8>(g.tm_wday);
    return d;
}

void check_same(const civil::DateTime& a, const civil::DateTime& b) {
    CHECK(a.year == b.year);
    CHECK(a.month == b.month);
    CHECK(a.day == b.day);
    CHECK(a.hour == b.hour);
    CHECK(a.minute == b.minute);
    CHECK(a.second == b.second);
    CHECK(a.weekday == b.weekday);
}

} // namespace

TEST_CASE("civil time: known dates", "[civil]") {
    const civil::DateTime epoch = civil::from_epoch(0);
    CHECK(epoch.year == 1970);
    CHECK(epoch.month == 1);
    CHECK(epoch.day == 1);
    CHECK(epoch.weekday == 4); // a Thursday
    const civil::DateTime t = civil::from_epoch(1700000000);
    CHECK(t.year == 2023);
    CHECK(t.month == 11);
    CHECK(t.day == 14);
    CHECK(t.hour == 22);
    CHECK(t.minute == 13);
    CHECK(t.second == 20);
    CHECK(t.weekday == 2); // a Tuesday
    CHECK(civil::to_epoch(t) == 1700000000);
    // Leap days: 2000 (divisible by 400) has one, 2100 does not.
    CHECK(civil::days_from_civil(2000, 3, 1) - civil::days_from_civil(2000, 2, 28) == 2);
    CHECK(civil::days_from_civil(2100, 3, 1) - civil::days_from_civil(2100, 2, 28) == 1);
    CHECK(civil::days_from_civil(2024, 3, 1) - civil::days_from_civil(2024, 2, 28) == 2);
}

TEST_CASE("civil time: agrees with the C library and round-trips, 1970 to 2200", "[civil]") {
    // Every day's first and last second, and a time inside it.
    const u64 end = civil::days_from_civil(2200, 1, 1);
    for (u64 day = 0; day < end; day += 1) {
        for (u64 s : {day * 86400, day * 86400 + 86399, day * 86400 + 45296 /* 12:34:56 */}) {
            const civil::DateTime d = civil::from_epoch(s);
            if (day % 97 == 0) check_same(d, libc(s)); // a sample: Catch2 counts every CHECK
            REQUIRE(civil::to_epoch(d) == s);
        }
    }
}
