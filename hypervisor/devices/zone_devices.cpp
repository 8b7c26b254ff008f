// SPDX-License-Identifier: GPL-2.0-only
// Routes trapped accesses to a zone's generic device models.
#include <bulkhead/mmio.hpp>
#include <bulkhead/zone.hpp>

namespace bh {

bool zone_devices_window(const Vcpu&, GuestPhys ipa) {
    return Range<GuestPhys>{VirtualUart::kBase, VirtualUart::kSize}.contains(ipa);
}

bool zone_devices_mmio(Vcpu& v, GuestPhys ipa, MmioAccess& a) {
    Zone& z = *v.zone;
    if (zone_devices_window(v, ipa)) {
        a.offset = ipa - VirtualUart::kBase;
        z.uart.access(a);
        return true;
    }
    return false;
}

} // namespace bh
