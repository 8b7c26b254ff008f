// SPDX-License-Identifier: GPL-2.0-only
// Per-zone arm64 state.
#pragma once

#include <arch/vgic_state.hpp>
#include <arch/vmsa_format.hpp>
#include <bulkhead/device_set.hpp>
#include <bulkhead/types.hpp>

namespace bh::arch {

using Stage2Format = aarch64::Stage2Format;

// An arm64 zone's console is a PL011 at 0x09000000 (QEMU virt's address).
inline constexpr ZoneDeviceSet kZoneDevices{true, false, true};

struct ZoneContext {
    u16 vmid = 0;
    u64 cntvoff = 0; // the zone's virtual counter starts near zero
    VgicDistState dist;
};

} // namespace bh::arch
