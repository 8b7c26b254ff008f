// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/virtio_mmio_slots.hpp>

namespace bh {

bool VirtioMmioSlots::access(Vcpu&, DeviceAccess& a) {
    if (a.write) return true; // nothing to configure in an empty slot
    switch (a.offset % kSlotSize) {
    case 0x000: a.value = 0x74726976; break; // MagicValue "virt"
    case 0x004: a.value = 2; break;          // Version: virtio 1.x transport
    case 0x00c: a.value = 0x554d4551; break; // VendorID, as QEMU's
    default: a.value = 0; break;             // DeviceID 0: no device here
    }
    return true;
}

} // namespace bh
