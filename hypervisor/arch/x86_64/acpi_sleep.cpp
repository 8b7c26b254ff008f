// SPDX-License-Identifier: GPL-2.0-only
#include <arch/acpi_sleep.hpp>
#include <bulkhead/abi/hypercall.h>
#include <bulkhead/vcpu.hpp>
#include <bulkhead/zone.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh::x86_64 {

bool AcpiSleep::access(Vcpu& v, DeviceAccess& a) {
    if (!a.write) {
        a.value = a.offset == 1 ? kWakeStatus : 0;
        return true;
    }
    if (a.offset == 0 && powers_off(static_cast<u8>(a.value)))
        zone_end(*v.zone, ZoneState::exited, BH_EXIT_PSCI_OFF, 0, "ACPI S5 (poweroff)");
    return true;
}

} // namespace bh::x86_64
