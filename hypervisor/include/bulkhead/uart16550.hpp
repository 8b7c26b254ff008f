// SPDX-License-Identifier: GPL-2.0-only
// A zone's console on x86: the registers of a 16550 UART at I/O ports
// 0x3f8-0x3ff, enough for bare-metal programs and Linux's 8250 driver.
// Transmitted bytes go to the zone's console (ZoneConsole), which tags
// them with the zone's name; received bytes come from its receive FIFO
// (host console input). Its interrupt (received data, transmitter empty),
// gated by MCR.OUT2 as on a PC, is ISA IRQ 4, raised whenever an access or
// new input leaves the interrupt condition true. A device model of the
// zone's registry (x86 zones have one at I/O port 0x3f8).
#pragma once

#include <bulkhead/device_registry.hpp>
#include <bulkhead/spinlock.hpp>
#include <bulkhead/zone_console.hpp>

namespace bh {

class Uart16550 {
  public:
    static constexpr u16 kBase = 0x3f8;
    static constexpr u16 kPorts = 8;
    static constexpr u32 kInterruptLine = 4; // COM1's ISA IRQ

    // In front of `console`; raises `zone`'s line kInterruptLine.
    void attach(Zone& zone, ZoneConsole& console);
    // `a.offset` is the port relative to kBase. Accesses wider than a byte
    // touch the register at the first port only, as on a real 16550's bus.
    bool access(Vcpu& v, DeviceAccess& a);

  private:
    static void input_arrived(void* self);
    // The register access; true: the interrupt condition holds afterwards.
    bool access_locked(DeviceAccess& a);
    bool interrupt_pending();
    Zone* zone_ = nullptr;
    ZoneConsole* console_ = nullptr;
    Spinlock lock_{LockLevel::device};
    u8 ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, fcr_ = 0;
    u8 dll_ = 1, dlm_ = 0;
    bool thre_pending_ = false; // "transmitter empty" interrupt not yet seen in IIR
};

} // namespace bh
