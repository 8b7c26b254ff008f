// SPDX-License-Identifier: GPL-2.0-only
// The zone's PL011 receives what is typed on the host console: with the
// receive interrupt unmasked, the zone sleeps in WFI until its SPI 1 (INTID
// 33) arrives, drains the FIFO through DR until FR says it is empty, and
// checks it got the line the runner typed.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/irq.hpp>
#include <guest/line_input.hpp>
#include <guest/mmio.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>

using namespace bh;

namespace {

constexpr u64 kUart = 0x09000000, kDr = kUart + 0x0, kFr = kUart + 0x18, kImsc = kUart + 0x38;
constexpr u64 kMis = kUart + 0x40;
constexpr u32 kFrRxfe = 1u << 4, kRxIm = 1u << 4, kRtIm = 1u << 6;
constexpr u32 kUartIntid = 33;
// Longer than a UART FIFO, so that bytes keep arriving while the
// hypervisor drains its UART.
constexpr char kExpected[] = "hello bulkhead, this line is longer than any uart fifo";

test::LineInput typed;
volatile u32 interrupts;

void on_uart(u32) {
    interrupts = interrupts + 1;
    while (!(mmio::read32(kFr) & kFrRxfe)) typed.feed(static_cast<char>(mmio::read32(kDr) & 0xff));
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("console-input");
    gic::init_distributor();
    gic::init_cpu();
    // SPI 33: enable it in the (virtual) distributor; it routes to vCPU 0.
    mmio::write32(gic::kGicd + 0x100 + 4 * (kUartIntid / 32), 1u << (kUartIntid % 32));
    irq::set_handler(kUartIntid, on_uart);
    BH_EXPECT(mmio::read32(kFr) & kFrRxfe); // nothing typed yet
    mmio::write32(kImsc, kRxIm | kRtIm);
    irq_enable();
    typed.await_line(20000);
    typed.check(kExpected, interrupts);
    BH_EXPECT_EQ(mmio::read32(kMis) & (kRxIm | kRtIm), 0u); // drained: nothing pending
    test::finish();
}
