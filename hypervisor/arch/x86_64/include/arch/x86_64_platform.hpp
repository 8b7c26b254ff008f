// SPDX-License-Identifier: GPL-2.0-only
// An x86-64 zone's address space: RAM from 0x40000000 by default (or from
// 0 for zones whose OS starts vCPUs with INIT-SIPI-SIPI, and for Linux
// zones), a device window in the PC's 32-bit hole [3 GiB, 0xfec00000) for
// virtio-mmio windows (the 32 slots at 0xfeb00000, I/O APIC pins 24-55),
// and the interrupt-controller window
// [0xfec00000, 4 GiB) with the I/O APIC and the local APIC pages, which
// RAM may never hide. RAM from 0 may thus reach 3 GiB, as on a PC. The
// hypervisor writes the identity map vCPUs start with into the last 32 KiB
// of RAM.
// Pure data, also compiled into the host unit tests.
#pragma once

#include <arch/x86_linux_image.hpp>

#include <bulkhead/abi/zone_layout.h>
#include <bulkhead/zone_platform.hpp>

namespace bh::x86_64 {

inline constexpr ZonePlatform kZonePlatform{
    .name = "x86-64",
    .default_ram_base = GuestPhys(BH_ZONE_RAM_BASE),
    .linux_ram_base = GuestPhys(BH_X86_64_LINUX_RAM_BASE), // memory below 1 MiB for Linux's SMP trampoline
    .ram_base_alignment = u64(2) << 20,
    .guest_phys_limit = u64(1) << 39,
    .max_memory = u64(64) << 30,
    .entry_alignment = 4,
    .boot_area_bytes = 32 * 1024,
    .device_windows = {{GuestPhys(0xc0000000), 0x3ec00000}, {GuestPhys(0xfec00000), 0x1400000}},
    .device_window_count = 2,
    .linux_allowed = x86_linux_allowed,
    .event_line = BH_X86_64_EVENT_LINE, // an I/O APIC pin above the slots'
    .virtio_base = GuestPhys(BH_X86_64_VIRTIO_BASE),
    .virtio_first_line = BH_X86_64_VIRTIO_FIRST_LINE, // I/O APIC pins 24-55
};

} // namespace bh::x86_64
