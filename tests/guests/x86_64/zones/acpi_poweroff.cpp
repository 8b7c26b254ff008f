// SPDX-License-Identifier: GPL-2.0-only
// Linux powers a hardware-reduced ACPI platform off by writing \_S5's sleep
// type with SLP_EN to the FADT's sleep control register (port 0x600 in a
// zone). That ends the zone as exited with reason PSCI_OFF, as an arm64
// zone's PSCI SYSTEM_OFF does. This zone clears the wake status first, as
// Linux does, powers off, and fails if it is still running afterwards.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    test::begin("acpi-poweroff");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    outb(0x601, 0x80);   // WAK_STS: write 1 to clear
    outb(0x600, 5 << 2); // the sleep type without SLP_EN: nothing happens
    print("entering S5 through the ACPI sleep control register\n");
    outb(0x600, (5 << 2) | 0x20);
    test::fail("still running after entering S5");
}
