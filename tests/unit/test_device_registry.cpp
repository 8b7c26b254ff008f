// SPDX-License-Identifier: GPL-2.0-only
// A zone's device registry and the generic device models behind it.
#include <bulkhead/device_registry.hpp>
#include <bulkhead/uart16550.hpp>

#include <arch/console.hpp>

#include "fake_machine.hpp"
#include "port_io.hpp"

using namespace bh;
using bh::test::FakeMachine;
using bh::test::PortIo;

namespace {

struct Counter {
    unsigned accesses = 0;
    u64 last_offset = ~u64(0);
    bool access(Vcpu&, DeviceAccess& a) {
        ++accesses;
        last_offset = a.offset;
        if (!a.write) a.value = 0x5a;
        return true;
    }
};

struct Picky {
    bool on = false;
    bool claims(const Vcpu&, u64) const { return on; }
    bool access(Vcpu& v, DeviceAccess&) { return claims(v, 0); }
};

} // namespace

TEST_CASE("device registry: ranges, lookups and offsets", "[devices]") {
    FakeMachine m;
    Zone* z = m.create("devs");
    Vcpu& v = z->vcpus[0];
    DeviceRegistry r;
    Counter a, b;
    REQUIRE(r.add(AddressSpace::mmio, 0x1000, 0x100, a, "a") == Status::ok);
    REQUIRE(r.add(AddressSpace::mmio, 0x1100, 0x100, b, "b") == Status::ok);   // adjacent is fine
    REQUIRE(r.add(AddressSpace::port, 0x1000, 8, b, "b ports") == Status::ok); // another space
    CHECK(r.add(AddressSpace::mmio, 0x10ff, 2, b, "overlap") == Status::busy);
    CHECK(r.add(AddressSpace::mmio, 0x0, 0x10000, b, "covers") == Status::busy);
    CHECK(r.add(AddressSpace::mmio, 0x9000, 0, b, "empty") == Status::invalid_argument);
    CHECK(r.add(AddressSpace::mmio, ~u64(0) - 1, 4, b, "wraps") == Status::invalid_argument);
    CHECK(r.count() == 3);

    DeviceAccess acc;
    CHECK(r.dispatch(v, AddressSpace::mmio, 0x1010, acc));
    CHECK(a.accesses == 1);
    CHECK(a.last_offset == 0x10);
    CHECK(acc.value == 0x5a);
    CHECK(r.dispatch(v, AddressSpace::mmio, 0x11ff, acc));
    CHECK(b.last_offset == 0xff);
    CHECK(r.dispatch(v, AddressSpace::port, 0x1003, acc));
    CHECK(b.last_offset == 3);
    CHECK_FALSE(r.dispatch(v, AddressSpace::mmio, 0x1200, acc)); // nobody's
    CHECK_FALSE(r.dispatch(v, AddressSpace::mmio, 0xfff, acc));
    CHECK(std::string(r.find(AddressSpace::mmio, 0x1150)->name) == "b");
    CHECK(r.find(AddressSpace::port, 0x1008) == nullptr);

    SECTION("a model may refuse, and say so before an access") {
        Picky p;
        DeviceRegistry r2;
        REQUIRE(r2.add(AddressSpace::mmio, 0x2000, 0x1000, p, "picky") == Status::ok);
        CHECK_FALSE(r2.claims(v, AddressSpace::mmio, 0x2000));
        CHECK_FALSE(r2.dispatch(v, AddressSpace::mmio, 0x2000, acc));
        p.on = true;
        CHECK(r2.claims(v, AddressSpace::mmio, 0x2004));
        CHECK(r2.dispatch(v, AddressSpace::mmio, 0x2004, acc));
        CHECK(r.claims(v, AddressSpace::mmio, 0x1000)); // no claims(): always
    }
    SECTION("a full registry says so") {
        DeviceRegistry r3;
        for (unsigned i = 0; i < DeviceRegistry::kMaxRanges; ++i)
            REQUIRE(r3.add(AddressSpace::mmio, 0x1000 * i, 0x10, a, "x") == Status::ok);
        CHECK(r3.add(AddressSpace::mmio, 0x100000, 0x10, a, "one more") == Status::no_memory);
    }
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("device registry: a zone's console through its PL011", "[devices]") {
    FakeMachine m;
    Zone* z = m.create("uart");
    Vcpu& v = z->vcpus[0];
    // The fake platform's devices are registered when the zone is built.
    REQUIRE(z->devices.find(AddressSpace::mmio, Pl011::kBase.raw()));
    REQUIRE(z->devices.find(AddressSpace::mmio, VirtioMmioSlots::kBase.raw() + 0x200 * 31));
    arch::fake_console_clear();
    for (char c : std::string("hello\n")) {
        DeviceAccess w;
        w.write = true;
        w.value = static_cast<u8>(c);
        REQUIRE(z->devices.dispatch(v, AddressSpace::mmio, Pl011::kBase.raw(), w));
    }
    CHECK(arch::fake_console_take() == "[uart] hello\n");

    // Input with the receive interrupt unmasked raises the PL011's line.
    DeviceAccess imsc;
    imsc.write = true;
    imsc.value = 1u << 4;
    REQUIRE(z->devices.dispatch(v, AddressSpace::mmio, Pl011::kBase.raw() + 0x38, imsc));
    CHECK(v.ctx.pending.load() == 0);
    REQUIRE(z->console.receive('x'));
    CHECK(v.ctx.pending.load() == u64(1) << Pl011::kInterruptLine);
    DeviceAccess rd;
    REQUIRE(z->devices.dispatch(v, AddressSpace::mmio, Pl011::kBase.raw(), rd));
    CHECK(rd.value == 'x');
    // An empty slot reads as a virtio-mmio device with no device behind it.
    DeviceAccess magic;
    REQUIRE(z->devices.dispatch(v, AddressSpace::mmio, VirtioMmioSlots::kBase.raw() + 0x200 * 5, magic));
    CHECK(magic.value == 0x74726976);
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("device registry: a 16550 in front of a zone's console", "[devices]") {
    FakeMachine m;
    Zone* z = m.create("pc");
    Vcpu& v = z->vcpus[0];
    Uart16550 uart;
    uart.attach(*z, z->console);
    DeviceRegistry r;
    REQUIRE(r.add(AddressSpace::port, Uart16550::kBase, Uart16550::kPorts, uart, "16550") == Status::ok);
    PortIo io{r, v};
    auto out = [&](u16 port, u8 value) { io.out(port, value); };
    auto in = [&](u16 port) { return io.in(port); };
    arch::fake_console_clear();
    for (char c : std::string("pc\n")) out(Uart16550::kBase, static_cast<u8>(c));
    CHECK(arch::fake_console_take() == "[pc] pc\n");
    out(Uart16550::kBase + 1, 0x01); // IER: received data
    out(Uart16550::kBase + 4, 0x08); // MCR: OUT2, the interrupt gate
    REQUIRE(z->console.receive('k'));
    CHECK(v.ctx.pending.load() == u64(1) << Uart16550::kInterruptLine);
    CHECK((in(Uart16550::kBase + 5) & 1) == 1); // LSR: data ready
    CHECK(in(Uart16550::kBase) == 'k');
    CHECK((in(Uart16550::kBase + 5) & 1) == 0);
    REQUIRE(m.destroy(*z) == Status::ok);
}
