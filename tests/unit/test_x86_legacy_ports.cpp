// SPDX-License-Identifier: GPL-2.0-only
// The legacy ports an x86 zone has nothing behind (legacy_ports.hpp) and
// its i8042 (i8042.hpp): what Linux 6.1's loops over them see. The loops
// below are Linux's (arch/x86/kernel/tsc.c, reboot.c, i8259.c), reduced to
// their port reads, run against the zone's answers.
#include <arch/acpi_sleep.hpp>
#include <arch/i8042.hpp>
#include <arch/legacy_ports.hpp>
#include <bulkhead/abi/hypercall.h>

#include "fake_machine.hpp"
#include "port_io.hpp"

using namespace bh;
using namespace bh::x86_64;

namespace {

struct Ports {
    bh::test::FakeMachine m;
    Zone* z = m.create("legacy");
    DeviceRegistry r;
    bh::test::PortIo io{r, z->vcpus[0]};

    Ports() { REQUIRE(register_legacy_ports(r) == Status::ok); }
    ~Ports() { REQUIRE(m.destroy(*z) == Status::ok); }

    // Linux's argument order.
    u8 inb(u16 port) { return io.in(port); }
    void outb(u8 v, u16 port) { io.out(port, v); }
    // Channel 2 in mode 0 counting from `latch`, gated by port B, as both
    // of Linux's PIT calibrations start.
    void start_pit_channel2(u16 latch) {
        outb(static_cast<u8>((inb(0x61) & ~0x02) | 0x01), 0x61);
        outb(0xb0, 0x43);
        outb(static_cast<u8>(latch & 0xff), 0x42);
        outb(static_cast<u8>(latch >> 8), 0x42);
    }
};

} // namespace

TEST_CASE("legacy ports: quick_pit_calibrate gives up at its first reads", "[x86][ports]") {
    Ports p;
    p.start_pit_channel2(0xffff);
    auto pit_verify_msb = [&](u8 val) {
        p.inb(0x42);
        return p.inb(0x42) == val;
    };
    pit_verify_msb(0);
    const unsigned before = p.io.reads;
    // pit_expect_msb(0xff, ...): up to 50,000 rounds while the MSB is 0xff;
    // success needs more than 5.
    int count = 0;
    for (count = 0; count < 50000; count++)
        if (!pit_verify_msb(0xff)) break;
    CHECK(count == 0); // so quick_pit_calibrate fails: "Fast TSC calibration failed"
    CHECK(p.io.reads - before == 2);
}

TEST_CASE("legacy ports: pit_calibrate_tsc's wait for OUT2 ends at once", "[x86][ports]") {
    Ports p;
    p.start_pit_channel2(0x9b2e); // 50 ms
    int pitcnt = 0;
    while ((p.inb(0x61) & 0x20) == 0 && pitcnt < 1000000) pitcnt++;
    CHECK(pitcnt == 0); // below any loopmin: calibration fails, no 50 ms spent
}

TEST_CASE("legacy ports: probe_8259A finds no PIC", "[x86][ports]") {
    Ports p;
    // Linux writes 0xff to the master's mask and expects to read it back.
    p.outb(0xff, 0xa1);
    p.outb(0xff, 0x21);
    CHECK(p.inb(0x21) != 0xff);
    CHECK(p.inb(0xa1) != 0xff);
    CHECK(p.inb(0x20) == 0);
}

TEST_CASE("legacy ports: POST port, wide reads, and what is not covered", "[x86][ports]") {
    Ports p;
    p.outb(0x12, 0x80);
    CHECK(p.inb(0x80) == 0xff);
    DeviceAccess a;
    a.size = 2;
    REQUIRE(p.r.dispatch(p.z->vcpus[0], AddressSpace::port, 0x40, a));
    CHECK((a.value & 0xffff) == 0);
    // The RTC and the i8042 are models of their own; nothing else is taken.
    for (u16 port : {0x22, 0x44, 0x60, 0x62, 0x64, 0x70, 0x81, 0xa2, 0xcf8})
        CHECK_FALSE(p.r.find(AddressSpace::port, port));
}

TEST_CASE("i8042: status, data and the reset command", "[x86][i8042]") {
    // Nothing to read, input buffer empty: Linux's kb_wait returns at once.
    const I8042::Response status = I8042::respond(I8042::kCommandPort, false, 0);
    CHECK((status.value & 0x03) == 0);
    CHECK_FALSE(status.reset);
    CHECK(I8042::respond(I8042::kDataPort, false, 0).value == 0);
    // 0xFE on the command port pulses the reset line (Linux's keyboard
    // reboot); so does any pulse command with bit 0 clear.
    CHECK(I8042::respond(I8042::kCommandPort, true, 0xfe).reset);
    CHECK(I8042::respond(I8042::kCommandPort, true, 0xf0).reset);
    CHECK(I8042::respond(I8042::kCommandPort, true, 0xf2).reset);
    // Other commands, pulses leaving bit 0 alone, and data writes do not.
    for (u8 c : {0xff, 0xf1, 0xfd, 0xd1, 0xad, 0xaa, 0x20, 0x60})
        CHECK_FALSE(I8042::respond(I8042::kCommandPort, true, c).reset);
    CHECK_FALSE(I8042::respond(I8042::kDataPort, true, 0xfe).reset);
}

TEST_CASE("ACPI sleep: only S5 with SLP_EN powers off", "[x86][acpi]") {
    // Linux's acpi_hw_extended_sleep: SLP_TYP << 2 | SLP_EN.
    CHECK(AcpiSleep::powers_off((5 << 2) | 0x20));
    CHECK_FALSE(AcpiSleep::powers_off(5 << 2));          // no SLP_EN
    CHECK_FALSE(AcpiSleep::powers_off((3 << 2) | 0x20)); // another sleep type
    CHECK_FALSE(AcpiSleep::powers_off(0x80));            // WAK_STS, as Linux clears it
    CHECK_FALSE(AcpiSleep::powers_off(0x00));            // QEMU's PM1 S5 value (0x2000) as a byte
}

TEST_CASE("ACPI sleep: entering S5 ends the zone as exited, PSCI_OFF; the status reads woken", "[x86][acpi]") {
    bh::test::FakeMachine m;
    Zone* z = m.create("s5", 1, {1});
    REQUIRE(zone_start(*z) == Status::ok);
    DeviceRegistry r;
    AcpiSleep sleep;
    REQUIRE(r.add(AddressSpace::port, AcpiSleep::kControlPort, 2, sleep, "ACPI sleep") == Status::ok);
    bh::test::PortIo io{r, z->vcpus[0]};
    CHECK(io.in(AcpiSleep::kStatusPort) == AcpiSleep::kWakeStatus);
    io.out(AcpiSleep::kStatusPort, AcpiSleep::kWakeStatus);   // Linux clears it first
    io.out(AcpiSleep::kControlPort, AcpiSleep::kS5Type << 2); // no SLP_EN
    CHECK(z->is_running());
    io.out(AcpiSleep::kControlPort, (AcpiSleep::kS5Type << 2) | AcpiSleep::kSleepEnable);
    CHECK(z->state.load() == ZoneState::exited);
    CHECK(z->exit_reason == BH_EXIT_PSCI_OFF);
    CHECK(z->exit_code == 0);
    REQUIRE(m.destroy(*z) == Status::ok);
}
