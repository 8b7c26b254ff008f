// SPDX-License-Identifier: GPL-2.0-only
// A zone that floods itself with interrupts: its local APIC timer in
// periodic mode with a period of one tick (which the hypervisor stretches
// to its 200 us minimum), and a transmitter-empty interrupt from its 16550
// (through its I/O APIC) every time it re-enables that interrupt. It
// shares a CPU with the worker, which must still run and finish: interrupt
// storms are the zone's own business and never starve another zone.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/irq.hpp>
#include <guest/lapic.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u8 kTimerVector = 0x40, kUartVector = 0x61;
constexpr u64 kStormMs = 1500;
constexpr u16 kCom1 = 0x3f8;
constexpr u64 kIoApic = 0xfec00000;

volatile u64 ticks, uart_interrupts;

void ioapic_write(u32 reg, u32 v) {
    *reinterpret_cast<volatile u32*>(kIoApic) = reg;
    *reinterpret_cast<volatile u32*>(kIoApic + 0x10) = v;
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("timer-storm");
    lapic::init(true);
    irq::set_handler(kTimerVector, [](u32) { ticks = ticks + 1; });
    irq::set_handler(kUartVector, [](u32) {
        uart_interrupts = uart_interrupts + 1;
        (void)inb(kCom1 + 2); // IIR: acknowledges "transmitter empty"
    });
    ioapic_write(0x10 + 2 * 4 + 1, 0);
    ioapic_write(0x10 + 2 * 4, kUartVector);
    outb(kCom1 + 4, 0x0b); // OUT2: the UART's interrupt reaches the I/O APIC
    outb(kCom1 + 1, 0x02); // interrupt when the transmitter is empty
    lapic::write(lapic::kTimerDivide, 0xb);
    lapic::write(lapic::kLvtTimer, (1u << 17) | kTimerVector);
    lapic::write(lapic::kTimerInitial, 1); // every tick
    asm volatile("sti" ::: "memory");
    u64 end = timer::counter() + timer::ms_to_ticks(kStormMs);
    while (timer::counter() < end) { // every re-enable of the transmitter interrupt raises it again
        outb(kCom1 + 1, 0x00);
        outb(kCom1 + 1, 0x02);
    }
    asm volatile("cli" ::: "memory");
    lapic::write(lapic::kTimerInitial, 0);
    outb(kCom1 + 1, 0);
    print("storm done: %llu timer and %llu UART interrupts in %llu ms\n", static_cast<ull>(ticks),
          static_cast<ull>(uart_interrupts), static_cast<ull>(kStormMs));
    test::check(ticks > 100, "only %llu timer interrupts", static_cast<ull>(ticks));
    // The hypervisor holds a periodic timer to at least 200 us per period.
    test::check(ticks <= kStormMs * 5 + 5, "%llu timer interrupts: faster than one per 200 us",
                static_cast<ull>(ticks));
    test::check(uart_interrupts > 0, "no UART interrupt");
    test::finish();
}
