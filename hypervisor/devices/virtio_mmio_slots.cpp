// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/virtio_mmio_slots.hpp>
#include <bulkhead/zone.hpp>
#include <bulkhead/zone_signal.hpp>

namespace bh {

bool VirtioMmioSlots::access(Vcpu& v, DeviceAccess& a) {
    Zone& z = *v.zone;
    u32 slot = static_cast<u32>(a.offset / kSlotSize);
    u64 reg = a.offset % kSlotSize;
    if (z.served_slots >> slot & 1) {
        // Posted: the doorbell needs no answer, the vCPU goes on.
        bool posted = a.write && reg == kQueueNotify;
        // Waiting before the request is visible: a fast server may complete
        // it before this exit ends (sched::finish_io).
        if (!posted) v.io.state.store(VcpuIo::State::waiting);
        Status s = z.ioreqs.submit(posted ? nullptr : &v, kBase.raw() + a.offset, a.size, a.write, a.value);
        if (s != Status::ok) {
            v.io.state.store(VcpuIo::State::none);
            a.retry = true; // the server is behind: try again later
            return true;
        }
        a.deferred = !posted;
        signal_server(z);
        return true;
    }
    if (a.write) return true; // nothing to configure in an empty slot
    switch (reg) {
    case 0x000: a.value = 0x74726976; break; // MagicValue "virt"
    case 0x004: a.value = 2; break;          // Version: virtio 1.x transport
    case 0x00c: a.value = 0x554d4551; break; // VendorID, as QEMU's
    default: a.value = 0; break;             // DeviceID 0: no device here
    }
    return true;
}

} // namespace bh
