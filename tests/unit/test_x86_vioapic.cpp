// SPDX-License-Identifier: GPL-2.0-only
// The zones' virtual I/O APIC as a pure model: the index/data register
// pair, the read-only registers, redirection entries and what a raised
// pin turns into.
#include <catch2/catch.hpp>

#include <arch/vioapic.hpp>

using namespace bh;
using namespace bh::x86_64;

namespace {

using Mode = IpiRequest::Mode;

u32 rd(VirtualIoApic& a, u32 reg) {
    a.write(VirtualIoApic::kRegSelect, reg);
    return a.read(VirtualIoApic::kRegWindow);
}
void wr(VirtualIoApic& a, u32 reg, u32 v) {
    a.write(VirtualIoApic::kRegSelect, reg);
    a.write(VirtualIoApic::kRegWindow, v);
}

} // namespace

TEST_CASE("vioapic: power-up state and read-only registers", "[x86][vioapic]") {
    VirtualIoApic a;
    a.reset();
    CHECK(rd(a, 0x01) == 0x003f0020u); // version 0x20, 64 entries: a PC's 24, the virtio slots' 32, the event line
    for (unsigned pin = 0; pin < VirtualIoApic::kPins; ++pin) CHECK(a.entry(pin) == (u64(1) << 16)); // masked
    wr(a, 0x01, 0xffffffff);
    CHECK(rd(a, 0x01) == 0x003f0020u);
    wr(a, 0x00, 0xffffffff);
    CHECK(rd(a, 0x00) == 0x0f000000u); // only the ID bits
    CHECK(rd(a, 0x02) == 0x0f000000u); // arbitration ID follows
    CHECK(rd(a, 0x10 + 2 * 64) == 0);  // past the last entry
    a.write(VirtualIoApic::kRegSelect, 0x10);
    CHECK(a.read(VirtualIoApic::kRegSelect) == 0x10);
    CHECK(a.read(0x20) == 0); // not a register
}

TEST_CASE("vioapic: redirection entries and routing", "[x86][vioapic]") {
    VirtualIoApic a;
    a.reset();
    CHECK(a.route(4).mode == Mode::none); // masked
    wr(a, 0x10 + 2 * 4 + 1, 0x03000000);  // destination APIC 3
    wr(a, 0x10 + 2 * 4, 0x0000a960);      // vector 0x60, lowest priority, logical, active low, edge, unmasked
    CHECK(a.entry(4) == ((u64(3) << 56) | 0xa960));
    IpiRequest r = a.route(4);
    CHECK(r.mode == Mode::lowest_priority);
    CHECK(r.vector == 0x60);
    CHECK(r.logical);
    CHECK(r.destination == 3);
    CHECK(r.shorthand == IpiRequest::Shorthand::none);
    wr(a, 0x10 + 2 * 4, 0x00015060 | (1u << 12) | (1u << 14)); // masked again; status bits are read-only
    CHECK(a.route(4).mode == Mode::none);
    CHECK((a.entry(4) & ((1u << 12) | (1u << 14))) == 0);
    wr(a, 0x10 + 2 * 63, 0x401); // last pin: NMI delivery
    CHECK(a.route(63).mode == Mode::nmi);
    CHECK(a.route(64).mode == Mode::none); // no such pin
    wr(a, 0x10 + 2 * 64, 0x60);            // past the table: ignored
    CHECK(a.route(0).mode == Mode::none);
}
