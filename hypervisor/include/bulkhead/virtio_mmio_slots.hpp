// SPDX-License-Identifier: GPL-2.0-only
// QEMU virt's virtio-mmio transport slots (32 of 0x200 bytes from
// 0x0a000000), so that kernels written for QEMU virt find them where they
// expect. A slot nobody serves reads as a virtio-mmio device with DeviceID
// 0 ("no device"), which drivers skip; a slot the zone's server serves
// (BH_HC_IOREQ_SERVE) is forwarded to it (ioreq.hpp), a QueueNotify write
// posted. A device model of the zone's registry.
#pragma once

#include <bulkhead/device_registry.hpp>
#include <bulkhead/types.hpp>

namespace bh {

struct VirtioMmioSlots {
    static constexpr GuestPhys kBase{0x0a000000};
    static constexpr u64 kSlotSize = 0x200;
    static constexpr u32 kSlots = 32;
    static constexpr u64 kSize = kSlotSize * kSlots;
    static constexpr u32 kFirstSpi = 16; // slot i raises the zone's SPI 16 + i
    static constexpr u64 kQueueNotify = 0x050;

    bool access(Vcpu& v, DeviceAccess& a);
};

} // namespace bh
