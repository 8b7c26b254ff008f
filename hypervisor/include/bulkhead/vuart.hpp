// SPDX-License-Identifier: GPL-2.0-only
// A zone's console: a PL011's transmit and receive sides, enough for
// bare-metal programs and Linux's earlycon/amba-pl011 driver. Output is
// collected per line and written to the host console tagged with the zone.
// Other console models (the x86 16550) feed their bytes in through write_byte.
#pragma once

#include <bulkhead/mmio.hpp>
#include <bulkhead/spinlock.hpp>
#include <bulkhead/types.hpp>

namespace bh {

class Zone;

class VirtualUart {
  public:
    static constexpr GuestPhys kBase{0x09000000};
    static constexpr u64 kSize = 0x1000;
    static constexpr u32 kInterruptLine = 1; // the zone's SPI 1, as its DTB says

    void attach(Zone& zone, const char* zone_name) {
        zone_ = &zone;
        zone_name_ = zone_name;
    }
    // Input from the host console; false if the receive FIFO is full.
    bool receive(char c);
    // The counter value when the zone started, for the boot-time report a
    // zone init's "BULKHEAD-START" line triggers.
    void set_start_time(u64 ticks) { started_at_ = ticks; }
    void access(MmioAccess& a);
    // One transmitted byte from another register model (the x86 16550).
    void write_byte(char c) {
        LockGuard g(lock_);
        put(c);
    }
    // The receive FIFO, for another register model (the x86 16550).
    bool take_received(char& c) {
        LockGuard g(lock_);
        if (!rx_count_) return false;
        c = rx_[rx_head_];
        rx_head_ = (rx_head_ + 1) % kRxFifo;
        --rx_count_;
        return true;
    }
    bool has_received() {
        LockGuard g(lock_);
        return rx_count_ != 0;
    }
    void flush();

  private:
    void put(char c);
    void emit_line();
    bool rx_interrupt_wanted() const;
    void update_interrupt();

    Spinlock lock_{LockLevel::console_buffer};
    const char* zone_name_ = "?";
    char line_[160];
    usize len_ = 0;
    Zone* zone_ = nullptr;
    static constexpr u32 kRxFifo = 64;
    char rx_[kRxFifo];
    u32 rx_head_ = 0, rx_count_ = 0;
    u64 started_at_ = 0;
    u32 cr_ = 0x301, lcr_h_ = 0, ibrd_ = 0, fbrd_ = 0, imsc_ = 0, ifls_ = 0x12;
};

} // namespace bh
