// SPDX-License-Identifier: GPL-2.0-only
// Seconds since the Unix epoch <-> a UTC calendar date and time, for the
// real-time clocks that count in calendar fields (the PC's CMOS RTC) rather
// than in seconds (the PL031). Proleptic Gregorian calendar; the day count
// follows Howard Hinnant's days_from_civil algorithm (eras of 400 years,
// years starting in March so that the leap day comes last). Pure and
// constexpr: also compiled into the host unit tests.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::civil {

struct DateTime {
    u32 year = 1970; // full year, e.g. 2026
    u8 month = 1;    // 1-12
    u8 day = 1;      // 1-31
    u8 hour = 0;     // 0-23
    u8 minute = 0;   // 0-59
    u8 second = 0;   // 0-59
    u8 weekday = 4;  // 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday)
};

inline constexpr u64 kSecondsPerDay = 86400;

// Days from 1970-01-01 to year-month-day (year >= 1970, a valid date).
constexpr u64 days_from_civil(u32 year, u32 month, u32 day) {
    const u32 y = month <= 2 ? year - 1 : year;
    const u32 era = y / 400;
    const u32 yoe = y - era * 400;                                                 // [0, 399]
    const u32 doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1; // [0, 365]
    const u32 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                         // [0, 146096]
    // 719468: days from 0000-03-01 to 1970-01-01.
    return u64(era) * 146097 + doe - 719468;
}

constexpr DateTime from_epoch(u64 seconds) {
    DateTime t;
    const u64 days = seconds / kSecondsPerDay;
    const u64 rest = seconds % kSecondsPerDay;
    t.hour = static_cast<u8>(rest / 3600);
    t.minute = static_cast<u8>(rest / 60 % 60);
    t.second = static_cast<u8>(rest % 60);
    t.weekday = static_cast<u8>((days + 4) % 7);
    const u64 z = days + 719468;
    const u64 era = z / 146097;
    const u64 doe = z - era * 146097;                                      // [0, 146096]
    const u64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; // [0, 399]
    const u64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               // [0, 365]
    const u64 mp = (5 * doy + 2) / 153;                                    // [0, 11], March first
    t.day = static_cast<u8>(doy - (153 * mp + 2) / 5 + 1);
    t.month = static_cast<u8>(mp < 10 ? mp + 3 : mp - 9);
    t.year = static_cast<u32>(yoe + era * 400 + (t.month <= 2 ? 1 : 0));
    return t;
}

// Seconds since the epoch of a valid date and time (year >= 1970).
constexpr u64 to_epoch(const DateTime& t) {
    return days_from_civil(t.year, t.month, t.day) * kSecondsPerDay + u64(t.hour) * 3600 + u64(t.minute) * 60 +
           t.second;
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11017);
static_assert(from_epoch(951782400).month == 2 && from_epoch(951782400).day == 29); // 2000-02-29

} // namespace bh::civil
