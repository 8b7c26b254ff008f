// SPDX-License-Identifier: GPL-2.0-only
// A trapped guest access to an I/O port (x86 IN/OUT), routed like MMIO to
// the zone's generic device models.
#pragma once

#include <bulkhead/types.hpp>

namespace bh {

struct Vcpu;

struct PioAccess {
    u16 port = 0;
    u8 size = 1;   // bytes: 1, 2 or 4
    bool write = false;
    u32 value = 0; // written value, or the value read (masked to size by the caller)
};

// Returns false if no device of the zone owns the port.
bool zone_devices_pio(Vcpu& v, PioAccess& a);

} // namespace bh
