// SPDX-License-Identifier: GPL-2.0-only
// Which generic device models a zone gets. The set is the architecture's
// choice (the console an OS expects there: a PL011 on arm64, a 16550 on
// x86-64) and is declared in <arch/zone_context.hpp> as kZoneDevices.
#pragma once

namespace bh {

struct ZoneDeviceSet {
    bool pl011 = false;     // MMIO at VirtualUart::kBase
    bool uart16550 = false; // I/O ports at Uart16550::kBase
    bool virtio_mmio_slots = false; // QEMU virt's 32 virtio-mmio slots, empty for now
};

} // namespace bh
