// SPDX-License-Identifier: GPL-2.0-only
// The fake arch's per-zone state. Stage 2 uses the arm64 format (pure bit
// definitions, host-compilable), so page tables are real.
#pragma once

#include <arch/vmsa_format.hpp>
#include <bulkhead/device_set.hpp>
#include <bulkhead/types.hpp>

namespace bh::arch {

using Stage2Format = aarch64::Stage2Format;

// Like arm64: a PL011 and the virtio-mmio slots.
inline constexpr ZoneDeviceSet kZoneDevices{true, false, true};

struct ZoneContext {
    u16 vmid = 0;
    bool initialised = false; // between zone_init and zone_fini
};

} // namespace bh::arch
