// SPDX-License-Identifier: GPL-2.0-only
// An arm64 zone's address space: QEMU virt's, so kernels built for it run
// unchanged. Devices (GIC, PL011, virtio-mmio slots) sit in
// [0x08000000, 0x40000000); RAM above, 39-bit IPAs (VTCR_EL2.T0SZ 25).
// Pure data, also compiled into the host unit tests.
#pragma once

#include <arch/linux_image.hpp>
#include <bulkhead/abi/zone_layout.h>
#include <bulkhead/zone_platform.hpp>

namespace bh::aarch64 {

inline constexpr ZonePlatform kZonePlatform{
    .name = "arm64",
    .default_ram_base = GuestPhys(BH_ZONE_RAM_BASE),
    .linux_ram_base = GuestPhys(BH_ARM64_LINUX_RAM_BASE),
    .ram_base_alignment = u64(2) << 20,
    .guest_phys_limit = u64(1) << 39,
    .max_memory = u64(64) << 30,
    .entry_alignment = 4,
    .boot_area_bytes = 0,
    .device_windows = {{GuestPhys(0x08000000), 0x38000000}},
    .device_window_count = 1,
    .linux_allowed = linux_allowed,
    .event_line = BH_ARM64_EVENT_LINE, // the last of the zone's 64 SPIs
    .virtio_base = GuestPhys(BH_ARM64_VIRTIO_BASE),
    .virtio_first_line = BH_ARM64_VIRTIO_FIRST_LINE, // SPIs 16-47
};

} // namespace bh::aarch64
