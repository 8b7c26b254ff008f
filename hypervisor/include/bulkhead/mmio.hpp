// SPDX-License-Identifier: GPL-2.0-only
// A trapped guest access to an emulated device register.
#pragma once

#include <bulkhead/types.hpp>

namespace bh {

struct Vcpu;

struct MmioAccess {
    u64 offset = 0; // from the start of the device window
    u8 size = 4;    // bytes: 1, 2, 4 or 8
    bool write = false;
    u64 value = 0;  // written value, or the value read (masked to size by the caller)
};

// Generic device models of a zone (not the interrupt controller, which is
// the arch's). Returns false if no device claims the address.
bool zone_devices_mmio(Vcpu& v, GuestPhys ipa, MmioAccess& a);
// Whether `ipa` lies in one of those devices' windows.
bool zone_devices_window(const Vcpu& v, GuestPhys ipa);

} // namespace bh
