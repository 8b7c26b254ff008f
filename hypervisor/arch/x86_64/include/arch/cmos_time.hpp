// SPDX-License-Identifier: GPL-2.0-only
// The MC146818 (PC CMOS RTC) time registers as bytes: the zone's RTC model
// encodes the host's wall clock into them (BCD, 24-hour, as a PC's BIOS
// leaves it), and the hypervisor decodes the host's own RTC at boot in
// whatever mode status register B says. Pure: also compiled into the host
// unit tests.
#pragma once

#include <bulkhead/civil_time.hpp>
#include <bulkhead/types.hpp>

namespace bh::x86_64::cmos {

// Register indices.
enum : u8 {
    kSeconds = 0x00,
    kSecondsAlarm = 0x01,
    kMinutes = 0x02,
    kMinutesAlarm = 0x03,
    kHours = 0x04,
    kHoursAlarm = 0x05,
    kWeekday = 0x06, // 1 = Sunday
    kDay = 0x07,
    kMonth = 0x08,
    kYear = 0x09, // two digits
    kStatusA = 0x0a,
    kStatusB = 0x0b,
    kStatusC = 0x0c,
    kStatusD = 0x0d,
    kCentury = 0x32, // as the zone's FADT says (QEMU's and most PCs' too)
};
inline constexpr u8 kStatusAUpdateInProgress = 0x80;
inline constexpr u8 kStatusBBinary = 0x04, kStatusB24Hour = 0x02;
inline constexpr u8 kHourPm = 0x80; // in 12-hour mode
inline constexpr u8 kStatusDValid = 0x80;

constexpr u8 to_bcd(u32 v) { return static_cast<u8>((v / 10 % 10) << 4 | v % 10); }
constexpr u32 from_bcd(u8 v) { return (v >> 4) * 10 + (v & 0xf); }

// The value of time register `reg` (seconds through year, century) at `t`,
// in BCD and 24-hour mode.
constexpr u8 encode(u8 reg, const civil::DateTime& t) {
    switch (reg) {
    case kSeconds: return to_bcd(t.second);
    case kMinutes: return to_bcd(t.minute);
    case kHours: return to_bcd(t.hour);
    case kWeekday: return to_bcd(t.weekday + 1u);
    case kDay: return to_bcd(t.day);
    case kMonth: return to_bcd(t.month);
    case kYear: return to_bcd(t.year % 100);
    case kCentury: return to_bcd(t.year / 100);
    default: return 0;
    }
}

// The raw registers of one reading, as the RTC gave them.
struct Reading {
    u8 second, minute, hour, day, month, year;
    u8 status_b;
};

// A reading in the mode status B gives (BCD or binary, 12- or 24-hour), the
// two-digit year taken as 1970-2069 (as Linux does without a century
// register). False if a field is out of range (no RTC: all ones).
constexpr bool decode(const Reading& r, civil::DateTime& out) {
    const bool binary = r.status_b & kStatusBBinary;
    auto value = [binary](u8 v) { return binary ? u32(v) : from_bcd(v); };
    u32 hour = value(static_cast<u8>(r.hour & ~kHourPm));
    if (!(r.status_b & kStatusB24Hour)) {
        if (hour < 1 || hour > 12) return false;
        hour = hour % 12 + ((r.hour & kHourPm) ? 12 : 0);
    }
    const u32 second = value(r.second), minute = value(r.minute), day = value(r.day), month = value(r.month),
              year = value(r.year);
    if (second > 59 || minute > 59 || hour > 23 || day < 1 || day > 31 || month < 1 || month > 12 || year > 99)
        return false;
    out.year = year < 70 ? 2000 + year : 1900 + year;
    out.month = static_cast<u8>(month);
    out.day = static_cast<u8>(day);
    out.hour = static_cast<u8>(hour);
    out.minute = static_cast<u8>(minute);
    out.second = static_cast<u8>(second);
    return true;
}

} // namespace bh::x86_64::cmos
