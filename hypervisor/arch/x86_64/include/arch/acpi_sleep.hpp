// SPDX-License-Identifier: GPL-2.0-only
// A zone's ACPI sleep registers, the hardware-reduced way of powering off
// (ACPI 6.5, 4.8.3.7): the FADT names an 8-bit sleep control register
// (port 0x600) and sleep status register (port 0x601), and the DSDT's \_S5
// package gives the sleep type for soft-off. Linux's poweroff (its
// acpi_power_off) writes SLP_TYP << 2 | SLP_EN to the control register;
// for S5 that ends the zone as exited with reason PSCI_OFF, exactly as an
// arm64 zone's PSCI SYSTEM_OFF does (no status: zone init reports the
// workload's own with ZONE_EXIT before). No other sleep state is declared,
// so none is entered; the status register reads "woken" (WAK_STS), which
// ends any wait for a wake-up at once.
#pragma once

#include <bulkhead/device_registry.hpp>

namespace bh::x86_64 {

class AcpiSleep {
  public:
    static constexpr u16 kControlPort = 0x600, kStatusPort = 0x601;
    static constexpr u8 kS5Type = 5;         // \_S5's SLP_TYP, in bits 4:2 of a control write
    static constexpr u8 kSleepEnable = 0x20; // SLP_EN
    static constexpr u8 kWakeStatus = 0x80;  // WAK_STS

    // Pure: whether writing `value` to the control register enters S5.
    static constexpr bool powers_off(u8 value) { return (value & kSleepEnable) && ((value >> 2) & 7) == kS5Type; }

    // `a.offset` 0 is the control register, 1 the status register.
    bool access(Vcpu& v, DeviceAccess& a);
};

} // namespace bh::x86_64
