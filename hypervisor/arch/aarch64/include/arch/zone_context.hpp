// SPDX-License-Identifier: GPL-2.0-only
// Per-zone arm64 state.
#pragma once

#include <arch/vgic_state.hpp>
#include <arch/vmsa_format.hpp>
#include <bulkhead/pl011.hpp>
#include <bulkhead/pl031.hpp>
#include <bulkhead/types.hpp>
#include <bulkhead/virtio_mmio_slots.hpp>

namespace bh::arch {

using Stage2Format = aarch64::Stage2Format;

// An arm64 zone's devices are QEMU virt's, at its addresses: a GICv3
// (vgic.hpp), a PL011 console, a PL031 RTC and 32 virtio-mmio slots; zone_init enters
// them in the zone's device registry.
struct ZoneContext {
    u16 vmid = 0;
    u64 cntvoff = 0; // the zone's virtual counter starts near zero
    VgicDistState dist;
    Pl011 uart;
    Pl031 rtc;
    VirtioMmioSlots virtio; // not registered for the control domain: it has the host's
    // The control domain's host SPIs (bit n: SPI n, INTID 32 + n), fixed
    // when it is built, and those whose physical interrupt the hypervisor
    // acknowledged and left active for it, not yet in a list register
    // (passthrough.cpp; changed atomically from any CPU).
    u64 passthrough_spis = 0;
    u64 held_spis = 0;
};

} // namespace bh::arch
