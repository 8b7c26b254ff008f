// SPDX-License-Identifier: GPL-2.0-only
// A zone's CMOS RTC at I/O ports 0x70 (index) and 0x71 (data), so that
// Linux reads the date at boot (mach_get_cmos_time) and rtc-cmos finds a
// working clock: the time registers show the host's wall clock
// (bulkhead/wall_clock.hpp) in BCD, 24-hour mode; status A never shows an
// update in progress (Linux would poll for up to a second), D says the
// time is valid. A zone cannot set the host's clock, so writes to the time
// registers are dropped; the alarm registers, A's rate bits, B's enables
// and the rest of the 128 bytes keep what is written (no interrupt is ever
// raised: the zone's DSDT gives the RTC no IRQ). Bit 7 of the index (NMI
// disable on a PC) is ignored: a zone has no NMI source to mask.
#pragma once

#include <bulkhead/device_registry.hpp>
#include <bulkhead/spinlock.hpp>

namespace bh::x86_64 {

class CmosRtc {
  public:
    static constexpr u16 kBase = 0x70;
    static constexpr u16 kPorts = 2;

    // A 32.768 kHz time base with a 1024 Hz rate (A), 24-hour BCD (B): a
    // PC's BIOS leaves them so.
    CmosRtc();

    // Pure register file: the selected register at wall-clock time
    // `seconds` (since the epoch), and writes to it.
    void select(u8 index) { index_ = index & 0x7f; }
    u8 read(u64 seconds) const;
    void write(u8 value);

    // The device model: `a.offset` 0 is the index port, 1 the data port;
    // wider accesses touch the first port's register only.
    bool access(Vcpu& v, DeviceAccess& a);

  private:
    Spinlock lock_{LockLevel::device};
    u8 index_ = 0;
    u8 ram_[128] = {}; // what was written, for the registers that keep it
};

} // namespace bh::x86_64
