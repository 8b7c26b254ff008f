// SPDX-License-Identifier: GPL-2.0-only
// A PL031 real-time clock for a zone (ARM PrimeCell RTC, as on QEMU virt),
// so that a zone knows the date: its counter starts at the host's wall
// clock (bulkhead/wall_clock.hpp) and counts seconds with the hypervisor's
// counter. A zone loading RTCLR moves its own clock only. The match
// interrupt (RTCMR) is raised on time through the zone's ZoneTimer, level:
// asserted while RTCRIS and RTCIMSC are both set. RTCCR reads 1 (always
// running) and ignores writes, as QEMU's. A device model of the zone's
// registry (arm64 zones have one at QEMU virt's address).
#pragma once

#include <bulkhead/device_registry.hpp>
#include <bulkhead/spinlock.hpp>

namespace bh {

class Zone;

class Pl031 {
  public:
    static constexpr GuestPhys kBase{0x09010000};
    static constexpr u64 kSize = 0x1000;
    static constexpr u32 kInterruptLine = 2; // the zone's SPI 2, as its DTB says

    // Sets the clock to the host's wall clock; raises `zone`'s line
    // kInterruptLine and uses its ZoneTimer for the match interrupt.
    void attach(Zone& zone);
    bool access(Vcpu& v, DeviceAccess& a);
    // The zone's timer reached the match deadline.
    void timer_expired(u64 now);

  private:
    u64 seconds_ticks(u64 now) const; // the clock, in counter ticks
    u32 counter(u64 now) const;       // RTCDR
    void schedule_match(u64 now);
    void update_line();

    Spinlock lock_{LockLevel::device};
    Zone* zone_ = nullptr;
    u64 offset_ = 0; // the zone's clock minus the host's, in ticks (mod 2^64)
    u32 mr_ = 0, imsc_ = 0;
    bool ris_ = false;
};

} // namespace bh
