// SPDX-License-Identifier: GPL-2.0-only
// Judging one measurement of the TSC (and local APIC timer) against PIT
// channel 2: pure code, unit-tested (tests/unit/test_x86_pit_calibration.cpp).
//
// The measurement reads the PIT's count twice, ~20 ms apart, each reading
// bracketed by TSC reads. The count says how much time passed between the
// two readings; the brackets say how precisely the TSC knows when each was
// taken. A CPU held up between the readings changes nothing (both clocks
// ran on); one held up for longer than the count-down lets the count wrap,
// which OUT2 shows, and the measurement is thrown away. A CPU held up while it reads (an SMI on real hardware; under an
// emulator, the host descheduling it or its device-model lock held
// elsewhere) shows as a long bracket, and the measurement is not precise:
// another is taken. The older way, starting the PIT and only then
// reading the TSC, could not tell: held up for longer than the 20 ms in
// between, it measured a few microseconds as 20 ms, the TSC's rate came out
// a thousand times too low, and the zones' CMOS clocks, counted on by the
// TSC, ran a day ahead within a minute (one x86 node run in about 45).
#pragma once

#include <bulkhead/types.hpp>

namespace bh::x86_64 {

inline constexpr u64 kPitHz = 1193182;
// Channel 2 counts down from here in mode 0 (55 ms to terminal count).
inline constexpr u16 kPitStartCount = 0xffff;
// PIT ticks between the two readings: 50 ms, so that brackets of tens of
// microseconds (each is five port or MMIO accesses, slow in an emulator)
// still allow a rate to 1/1000.
inline constexpr u16 kPitWantTicks = static_cast<u16>(kPitHz * 50 / 1000);

struct PitReading {
    u64 tsc_before = 0;
    u16 count = 0; // channel 2's count, latched
    u32 apic = 0;  // the local APIC timer's current count, read beside it
    u64 tsc_after = 0;
};

struct Calibration {
    u64 tsc_hz = 0; // 0: no rate at all can be had from the readings
    u64 apic_hz = 0;
    bool precise = false; // to 1/1000
};

// The rates from readings `a` then `b` of one count-down. `expired`: OUT2
// was already high after `b`, so the count may have wrapped past zero.
// Rates only if the PIT moved at least half of kPitWantTicks without
// expiring; precise only if both brackets together are within 1/1000 of
// the TSC time between the readings (the error they allow the rate).
constexpr Calibration judge_pit_measurement(const PitReading& a, const PitReading& b, bool expired) {
    if (expired || b.count >= a.count || a.tsc_after < a.tsc_before || b.tsc_after < b.tsc_before ||
        b.tsc_before < a.tsc_after)
        return {};
    const u64 pit_ticks = u64{a.count} - b.count;
    if (pit_ticks < kPitWantTicks / 2) return {};
    const u64 slack = (a.tsc_after - a.tsc_before) + (b.tsc_after - b.tsc_before);
    // Between the middles of the two brackets (halves summed, not averaged:
    // no overflow at any TSC value).
    const u64 tsc_ticks =
        (b.tsc_before - a.tsc_after) + (a.tsc_after - a.tsc_before) / 2 + (b.tsc_after - b.tsc_before) / 2;
    if (tsc_ticks == 0) return {};
    Calibration c;
    c.precise = slack <= tsc_ticks / 1000;
    c.tsc_hz = tsc_ticks * kPitHz / pit_ticks;
    // The APIC timer counts down too; a wrapped one (it is started at its
    // maximum, 2^32 ticks, far beyond 20 ms) is not possible here.
    c.apic_hz = a.apic >= b.apic ? u64{a.apic - b.apic} * kPitHz / pit_ticks : 0;
    return c;
}

} // namespace bh::x86_64
