// SPDX-License-Identifier: GPL-2.0-only
// The PC's legacy ports that Linux touches on its way up although a zone
// has nothing behind them (no PIT, no 8259s: the MADT and the
// hardware-reduced FADT say so), given fixed answers chosen so that every
// loop Linux runs on them ends at the first read, instead of the
// all-ones an unassigned port reads (and logs):
// - PIT counters (0x40-0x42) read 0: quick_pit_calibrate (tsc.c) polls
//   counter 2 while its MSB reads 0xff and reads up to 100,000 times if
//   it keeps doing so; 0 ends it at the first read (calibration failed).
// - Port B (0x61) reads with OUT2 (bit 5) high: pit_calibrate_tsc polls
//   until it rises, so it ends at once (too few reads: failed).
// - The 8259s (0x20-0x21, 0xa0-0xa1) read 0: probe_8259A writes 0xff to a
//   mask register and finds no PIC when it does not read back.
// - POST (0x80, Linux's I/O delay port): writes dropped, reads 0xff.
// Writes to all of them are dropped. Stateless, so one set serves all zones.
#pragma once

#include <bulkhead/device_registry.hpp>
#include <bulkhead/status.hpp>

namespace bh::x86_64 {

// A port range whose reads return one byte value (repeated for wider reads).
struct FixedPorts {
    u8 value;
    bool access(Vcpu&, DeviceAccess& a) {
        if (!a.write) a.value = value * 0x0101010101010101ull;
        return true;
    }
};

inline constexpr u8 kPortBOut2 = 0x20;
inline constexpr u8 kPitCounterValue = 0x00, kPortBValue = kPortBOut2, kPicValue = 0x00, kPostValue = 0xff;

// Enters them in a zone's registry.
[[nodiscard]] Status register_legacy_ports(DeviceRegistry& d);

} // namespace bh::x86_64
