// SPDX-License-Identifier: GPL-2.0-only
// Linux resets a PC (a reboot, or a panic with panic=-1) by writing 0xFE,
// "pulse the reset line", to the i8042's command port 0x64. In a zone that
// ends the zone as crashed with reason PSCI_RESET, as an arm64 zone's PSCI
// SYSTEM_RESET does; the machine and the other zones go on. This zone
// waits for the keyboard controller as Linux's kb_wait does, pulses the
// line, and fails if it is still running afterwards.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    test::begin("i8042-reset");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    unsigned waited = 0;
    while ((inb(0x64) & 0x02) && waited < 0x10000) ++waited; // input buffer full: wait
    test::check(waited == 0, "the i8042's input buffer stayed full for %u reads", waited);
    print("pulsing the reset line through the i8042\n");
    outb(0x64, 0xfe);
    test::fail("still running after the i8042 reset command");
}
