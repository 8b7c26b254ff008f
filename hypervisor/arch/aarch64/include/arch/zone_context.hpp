// SPDX-License-Identifier: GPL-2.0-only
// Per-zone arm64 state.
#pragma once

#include <arch/vgic_state.hpp>
#include <arch/vmsa_format.hpp>
#include <bulkhead/types.hpp>

namespace bh::arch {

using Stage2Format = aarch64::Stage2Format;

struct ZoneContext {
    u16 vmid = 0;
    u64 cntvoff = 0; // the zone's virtual counter starts near zero
    VgicDistState dist;
};

} // namespace bh::arch
