// SPDX-License-Identifier: GPL-2.0-only
// The device tree a zone's kernel boots with, generated with libfdt. One
// implementation serves zones started from the manifest and, later, zones
// the control domain creates.
#pragma once

#include <bulkhead/manifest.hpp>
#include <bulkhead/zone.hpp>

namespace bh::aarch64 {

struct ZoneFdtInputs {
    GuestPhys initrd;
    u64 initrd_size = 0;
    const LinuxBoot* linux_boot = nullptr;
};

// Writes the zone's DTB into buf; returns its size, or 0 (after logging)
// if it does not fit.
u64 build_zone_fdt(const Zone& z, const ZoneFdtInputs& in, void* buf, u64 size);

} // namespace bh::aarch64
