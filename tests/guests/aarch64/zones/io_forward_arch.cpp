// SPDX-License-Identifier: GPL-2.0-only
// The io-forward scenario on arm64 (tests/guests/common/zones/
// io_forward.hpp): the slots at 0x0a000000, QEMU virt's place; their lines
// and the event line are SPIs of the zone's GIC, routed to vCPU 0.
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/gic_state.hpp>
#include <guest/irq.hpp>
#include <guest/timer.hpp>

#include "../../common/zones/io_forward.hpp"

namespace bh::io_forward {

const Platform kPlatform{
    .slot_base = BH_ARM64_VIRTIO_BASE,
    .slot0_line = BH_ARM64_VIRTIO_FIRST_LINE,
    .foreign_line = 1,      // the PL011's SPI
    .map_at = u64(4) << 30, // above both zones' RAM
    .map_again = u64(5) << 30,
    .device_window = 0x09000000, // the PL011's page, 2 MiB aligned
};

namespace {

constexpr u32 kSpiBase = 32; // INTID of SPI 0
constexpr u64 kWakeMs = 10;

void (*slot0_handler)();
void (*event_handler)();

void spi_to_vcpu0(u32 intid) {
    gic::route_spi_to(intid, 0);
    gic::set_bit(gic::kIsenabler, intid);
}

} // namespace

void slot0_interrupts_on(void (*handler)()) {
    slot0_handler = handler;
    gic::init_distributor();
    gic::init_cpu();
    irq::set_handler(kSpiBase + kPlatform.slot0_line, [](u32) { slot0_handler(); });
    spi_to_vcpu0(kSpiBase + kPlatform.slot0_line);
    irq_enable();
}

void events_on(void (*handler)()) {
    event_handler = handler;
    gic::init_distributor();
    gic::init_cpu();
    irq::set_handler(kSpiBase + BH_ARM64_EVENT_LINE, [](u32) { event_handler(); });
    spi_to_vcpu0(kSpiBase + BH_ARM64_EVENT_LINE);
    timer::start_periodic(timer::ms_to_ticks(kWakeMs));
    irq_enable();
}

void events_off() { timer::stop_periodic(); }

// WFI wakes for an interrupt pending while they are masked.
void wait_for_interrupt() {
    wfi();
    irq_enable();
}

} // namespace bh::io_forward
