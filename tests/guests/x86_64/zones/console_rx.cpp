// SPDX-License-Identifier: GPL-2.0-only
// The zone's 16550 receives what is typed on the host console: with the
// receive interrupt enabled (IER, MCR.OUT2) and ISA IRQ 4 routed through
// the zone's I/O APIC to its local APIC, the zone halts until the
// interrupt arrives, drains the FIFO through RBR while LSR says data is
// ready, and checks it got the line the runner typed.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/irq.hpp>
#include <guest/lapic.hpp>
#include <guest/line_input.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>

using namespace bh;

namespace {

constexpr u16 kCom1 = 0x3f8, kRbr = kCom1, kIer = kCom1 + 1, kIir = kCom1 + 2, kMcr = kCom1 + 4, kLsr = kCom1 + 5;
constexpr u8 kLsrDr = 0x01;
constexpr u64 kIoApic = 0xfec00000;
constexpr u8 kVector = 0x60;
constexpr unsigned kComIrq = 4;
// Longer than a UART FIFO, so that bytes keep arriving while the
// hypervisor drains its UART.
constexpr char kExpected[] = "hello bulkhead, this line is longer than any uart fifo";

test::LineInput typed;
volatile u32 interrupts;

void ioapic_write(u32 reg, u32 v) {
    *reinterpret_cast<volatile u32*>(kIoApic) = reg;
    *reinterpret_cast<volatile u32*>(kIoApic + 0x10) = v;
}
u32 ioapic_read(u32 reg) {
    *reinterpret_cast<volatile u32*>(kIoApic) = reg;
    return *reinterpret_cast<volatile u32*>(kIoApic + 0x10);
}

void on_uart(u32) {
    interrupts = interrupts + 1;
    while (inb(kLsr) & kLsrDr) typed.feed(static_cast<char>(inb(kRbr)));
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("console-input");
    lapic::init(true);
    BH_EXPECT_EQ(ioapic_read(1), 0x003f0020u);               // the zone's own I/O APIC: 64 pins
    BH_EXPECT(ioapic_read(0x10 + 2 * kComIrq) & (1u << 16)); // masked until programmed
    ioapic_write(0x10 + 2 * kComIrq + 1, 0);                 // destination: APIC ID 0
    ioapic_write(0x10 + 2 * kComIrq, kVector);               // fixed, physical, edge, active high, unmasked
    BH_EXPECT_EQ(ioapic_read(0x10 + 2 * kComIrq), u32(kVector));
    irq::set_handler(kVector, on_uart);
    BH_EXPECT(!(inb(kLsr) & kLsrDr)); // nothing typed yet
    outb(kMcr, 0x0b);                 // DTR, RTS, OUT2
    outb(kIer, 0x01);                 // received data available
    asm volatile("sti" ::: "memory");
    typed.await_line(20000);
    typed.check(kExpected, interrupts);
    BH_EXPECT_EQ(inb(kIir) & 0x0f, 0x01); // drained: no interrupt pending
    test::finish();
}
