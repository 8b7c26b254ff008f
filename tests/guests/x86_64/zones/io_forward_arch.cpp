// SPDX-License-Identifier: GPL-2.0-only
// The io-forward scenario on x86-64 (tests/guests/common/zones/
// io_forward.hpp): the slots at 0xfeb00000; their lines and the event line
// are pins of the zone's I/O APIC, routed to the local APIC of vCPU 0.
#include <guest/cpu.hpp>
#include <guest/irq.hpp>
#include <guest/lapic.hpp>
#include <guest/timer.hpp>

#include "../../common/zones/io_forward.hpp"

namespace bh::io_forward {

const Platform kPlatform{
    .slot_base = BH_X86_64_VIRTIO_BASE,
    .slot0_line = BH_X86_64_VIRTIO_FIRST_LINE,
    .foreign_line = 4,    // COM1's
    .map_at = 0x80000000, // 2 GiB: below the PC hole, above both zones' RAM
    .map_again = 0xa0000000,
    .device_window = 0xc0000000, // the hole's device window
};

namespace {

constexpr u8 kSlot0Vector = 0x60, kEventVector = 0x61;
constexpr u64 kWakeMs = 10;
constexpr u64 kIoApic = 0xfec00000;

void (*slot0_handler)();
void (*event_handler)();

void ioapic_write(u32 reg, u32 v) {
    *reinterpret_cast<volatile u32*>(kIoApic) = reg;
    *reinterpret_cast<volatile u32*>(kIoApic + 0x10) = v;
}

// Pin `pin` delivers `vector`: fixed, physical, edge, active high, to the
// vCPU with APIC ID 0.
void ioapic_route(u32 pin, u8 vector) {
    ioapic_write(0x10 + 2 * pin + 1, 0);
    ioapic_write(0x10 + 2 * pin, vector);
}

} // namespace

void slot0_interrupts_on(void (*handler)()) {
    slot0_handler = handler;
    lapic::init(true);
    irq::set_handler(kSlot0Vector, [](u32) { slot0_handler(); });
    ioapic_route(kPlatform.slot0_line, kSlot0Vector);
    irq_enable();
}

void events_on(void (*handler)()) {
    event_handler = handler;
    lapic::init(true);
    irq::set_handler(kEventVector, [](u32) { event_handler(); });
    ioapic_route(BH_X86_64_EVENT_LINE, kEventVector);
    timer::start_periodic(timer::ms_to_ticks(kWakeMs));
    irq_enable();
}

void events_off() { timer::stop_periodic(); }

// STI's one-instruction shadow: an interrupt pending since CLI is taken by
// the HLT rather than before it, which would halt with nothing to wake it.
void wait_for_interrupt() { asm volatile("sti; hlt" ::: "memory"); }

} // namespace bh::io_forward
