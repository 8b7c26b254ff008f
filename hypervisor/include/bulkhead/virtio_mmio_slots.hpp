// SPDX-License-Identifier: GPL-2.0-only
// A zone's 32 virtio-mmio transport slots of 0x200 bytes, where each
// architecture's platform puts them (ZonePlatform::virtio_base; arm64:
// QEMU virt's 0x0a000000, so that kernels written for QEMU virt find them
// where they expect; x86-64: 0xfeb00000, declared in the zone's DSDT). A
// slot nobody serves reads as a virtio-mmio device with DeviceID 0 ("no
// device"), which drivers skip; a slot the zone's server serves
// (BH_HC_IOREQ_SERVE) is forwarded to it (ioreq.hpp), a QueueNotify write
// posted. A device model of the zone's registry.
#pragma once

#include <arch/zone_platform.hpp>

#include <bulkhead/abi/zone_layout.h>
#include <bulkhead/device_registry.hpp>
#include <bulkhead/types.hpp>

namespace bh {

struct VirtioMmioSlots {
    static constexpr GuestPhys kBase = arch::kZonePlatform.virtio_base;
    static constexpr u64 kSlotSize = BH_VIRTIO_SLOT_SIZE;
    static constexpr u32 kSlots = BH_VIRTIO_SLOTS;
    static constexpr u64 kSize = kSlotSize * kSlots;
    // Slot i raises the zone's line kFirstLine + i (raise_zone_interrupt's
    // numbering: an SPI on arm64, an I/O APIC pin on x86-64).
    static constexpr u32 kFirstLine = arch::kZonePlatform.virtio_first_line;
    static constexpr u64 kQueueNotify = BH_VIRTIO_QUEUE_NOTIFY;

    // The slot whose line `line` is, or kSlots if none is.
    static constexpr u32 slot_of_line(u64 line) {
        return line >= kFirstLine && line - kFirstLine < kSlots ? static_cast<u32>(line - kFirstLine) : kSlots;
    }

    bool access(Vcpu& v, DeviceAccess& a);
};

// Zone RAM must never hide the slots (they lie in one of the platform's
// device windows), nor may the event line be one of theirs.
constexpr bool virtio_slots_in_device_window(const ZonePlatform& p) {
    for (unsigned i = 0; i < p.device_window_count; ++i)
        if (p.device_windows[i].contains(p.virtio_base, VirtioMmioSlots::kSize)) return true;
    return false;
}
static_assert(virtio_slots_in_device_window(arch::kZonePlatform));
static_assert(VirtioMmioSlots::slot_of_line(arch::kZonePlatform.event_line) == VirtioMmioSlots::kSlots);

} // namespace bh
