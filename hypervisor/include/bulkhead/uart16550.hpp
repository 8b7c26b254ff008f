// SPDX-License-Identifier: GPL-2.0-only
// A zone's console on x86: the registers of a 16550 UART at I/O ports
// 0x3f8-0x3ff, enough for bare-metal programs and Linux's 8250 driver to
// find it and print. Transmitted bytes go to the zone's console line
// buffer (VirtualUart), which tags them with the zone's name. Nothing is
// ever received and no interrupt is raised.
#pragma once

#include <bulkhead/pio.hpp>
#include <bulkhead/spinlock.hpp>
#include <bulkhead/vuart.hpp>

namespace bh {

class Uart16550 {
  public:
    static constexpr u16 kBase = 0x3f8;
    static constexpr u16 kPorts = 8;

    // `a.port` is relative to kBase. Accesses wider than a byte touch the
    // register at the first port only, as on the bus of a real 16550.
    void access(PioAccess& a, VirtualUart& out);

  private:
    Spinlock lock_;
    u8 ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, fcr_ = 0;
    u8 dll_ = 1, dlm_ = 0;
};

} // namespace bh
