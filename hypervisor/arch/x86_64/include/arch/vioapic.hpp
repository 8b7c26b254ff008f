// SPDX-License-Identifier: GPL-2.0-only
// A zone's I/O APIC, as software: the page at guest-physical 0xFEC00000
// with its index/data register pair (IOREGSEL, IOWIN) and the EOI register,
// the ID, version and arbitration registers, and 64 redirection entries
// that turn the zone's device interrupt lines into local-APIC interrupts:
// more than a PC's 24, for the zone's virtio-mmio slots (pins 24-55) and
// the control plane's event line (56; bulkhead/abi/zone_layout.h). An
// I/O APIC may have up to 240 (the version register's 8-bit count).
//
// Lines are edge-triggered (each raise is one event; a device model
// raises again while its condition holds), which is what the zone's
// devices need (virtio, the 16550's receive line); a level-triggered entry
// is delivered the same way, without remote-IRR tracking.
//
// Pure: route() describes the interrupt (IpiRequest) and the caller
// delivers it. The caller serialises all calls (a lock per zone).
#pragma once

#include <arch/vlapic.hpp>
#include <bulkhead/types.hpp>

namespace bh::x86_64 {

inline constexpr u64 kIoApicMmioBase = 0xfec00000;

class VirtualIoApic {
  public:
    static constexpr unsigned kPins = 64;
    // The ID it resets to (and the zone's MADT gives): APIC ids are one
    // name space on a PC, and 0-7 are the vCPUs' local APICs; 4 bits wide.
    static constexpr u8 kId = 8;
    static constexpr u32 kRegSelect = 0x00, kRegWindow = 0x10, kRegEoi = 0x40; // byte offsets in the page

    void reset();
    // 32-bit accesses to the page; other offsets read 0, writes are dropped.
    u32 read(u32 offset) const;
    void write(u32 offset, u32 value);
    // Pin `pin` saw an edge: the interrupt to deliver, or Mode::none if the
    // pin is masked or does not exist.
    IpiRequest route(unsigned pin) const;
    u64 entry(unsigned pin) const { return pin < kPins ? redirection_[pin] : 0; }

  private:
    static constexpr u64 kMasked = u64(1) << 16;
    u32 select_ = 0;
    u32 id_ = 0;
    u64 redirection_[kPins] = {};
};

} // namespace bh::x86_64
