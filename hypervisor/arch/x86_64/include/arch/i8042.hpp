// SPDX-License-Identifier: GPL-2.0-only
// A zone's i8042 keyboard controller at I/O ports 0x60 (data) and 0x64
// (status and commands), there for one thing: the reset line. Linux resets
// a PC by writing 0xFE ("pulse output port bit 0", the CPU's reset) to
// port 0x64 (its reboot's keyboard method, and the FADT's reset register
// points there too), so a reboot, or a panic with panic=-1, ends the zone
// as crashed with reason PSCI_RESET, exactly as an arm64 zone's PSCI
// SYSTEM_RESET does. Otherwise it is a controller with nothing attached:
// the status says there is nothing to read and the input buffer is empty
// (so a driver waiting to write never waits), data reads 0, other commands
// are ignored. The zone's FADT says no i8042, so Linux does not probe it.
#pragma once

#include <bulkhead/device_registry.hpp>

namespace bh::x86_64 {

class I8042 {
  public:
    static constexpr u16 kDataPort = 0x60, kCommandPort = 0x64;
    // Status: output buffer empty (bit 0), input buffer empty (bit 1), the
    // system flag (bit 2: self-test passed), keyboard not inhibited (bit 4).
    static constexpr u8 kStatus = 0x14;

    struct Response {
        u8 value = 0;       // what a read returns
        bool reset = false; // the CPU's reset line was pulsed
    };
    // Commands 0xF0-0xFF pulse the output-port bits whose command bits are
    // clear for 6 us; bit 0 is the reset line.
    static constexpr bool command_resets(u8 command) { return (command & 0xf0) == 0xf0 && !(command & 1); }
    // Pure: an access of `port` (kDataPort or kCommandPort).
    static constexpr Response respond(u16 port, bool write, u8 value) {
        if (!write) return {port == kCommandPort ? kStatus : u8(0), false};
        return {0, port == kCommandPort && command_resets(value)};
    }

    // One model per port: a registry entry tells its model only the offset.
    explicit constexpr I8042(u16 port) : port_(port) {}
    bool access(Vcpu& v, DeviceAccess& a);

  private:
    u16 port_;
};

} // namespace bh::x86_64
