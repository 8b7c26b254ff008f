// SPDX-License-Identifier: GPL-2.0-only
// A PL011 UART's registers in front of a zone's console: enough for
// bare-metal programs and Linux's earlycon and amba-pl011 driver. Its
// receive and receive-timeout interrupts are level: asserted while data
// waits and the zone has them unmasked. A device model of the zone's
// registry (arm64 zones have one at QEMU virt's address).
#pragma once

#include <bulkhead/device_registry.hpp>
#include <bulkhead/spinlock.hpp>
#include <bulkhead/zone_console.hpp>

namespace bh {

class Pl011 {
  public:
    static constexpr GuestPhys kBase{0x09000000};
    static constexpr u64 kSize = 0x1000;
    static constexpr u32 kInterruptLine = 1; // the zone's SPI 1, as its DTB says

    // In front of `console`; raises `zone`'s line kInterruptLine.
    void attach(Zone& zone, ZoneConsole& console);
    bool access(Vcpu& v, DeviceAccess& a);

  private:
    static void input_arrived(void* self);
    bool rx_interrupt_wanted(u32 rx_count) const;
    void update_interrupt(u32 rx_count);

    Spinlock lock_{LockLevel::device};
    Zone* zone_ = nullptr;
    ZoneConsole* console_ = nullptr;
    u32 cr_ = 0x301, lcr_h_ = 0, ibrd_ = 0, fbrd_ = 0, imsc_ = 0, ifls_ = 0x12;
};

} // namespace bh
