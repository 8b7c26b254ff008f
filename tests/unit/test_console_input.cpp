// SPDX-License-Identifier: GPL-2.0-only
// Host console input with flow control: the console zone's FIFO is never
// overrun; input waits (the arch's interrupt masked) until the zone makes
// room, and flows again exactly once per hold.
#include <bulkhead/console_input.hpp>
#include <bulkhead/pl011.hpp>

#include <arch/console.hpp>

#include "fake_machine.hpp"

using namespace bh;
using bh::test::FakeMachine;

namespace {

void make_console_zone(Zone* z) {
    Lock<ZoneTable> g(zones());
    zones().set_console_zone(g.held(), z);
}

// What an arch's receive handler does with `text` waiting in its UART;
// returns how much it took before holding.
usize type(const std::string& text) {
    usize n = 0;
    for (char c : text) {
        if (!console_input_room()) {
            console_input_hold();
            return n;
        }
        console_input(c);
        ++n;
    }
    return n;
}

char read_dr(Zone& z) {
    DeviceAccess a;
    REQUIRE(z.devices.dispatch(z.vcpus[0], AddressSpace::mmio, Pl011::kBase.raw(), a));
    return static_cast<char>(a.value);
}

} // namespace

TEST_CASE("console input: a full FIFO holds the input instead of dropping it", "[console]") {
    FakeMachine m;
    Zone* z = m.create("reader");
    make_console_zone(z);
    const u64 resumes = arch::fake_console_input_resumes();
    std::string text;
    for (unsigned i = 0; i < 100; ++i) text.push_back(static_cast<char>('a' + i % 26));

    usize taken = type(text);
    CHECK(taken == ZoneConsole::kRxFifo); // the rest waits in the UART
    CHECK(arch::fake_console_input_resumes() == resumes);
    // The zone reads one byte: room again, the interrupt is unmasked once.
    CHECK(read_dr(*z) == 'a');
    CHECK(arch::fake_console_input_resumes() == resumes + 1);
    CHECK(read_dr(*z) == 'b');
    CHECK(arch::fake_console_input_resumes() == resumes + 1);
    // Everything arrives, in order, nothing lost.
    std::string got = "ab";
    while (taken < text.size()) {
        taken += type(text.substr(taken));
        while (z->console.received_count()) got.push_back(read_dr(*z));
    }
    CHECK(got == text);

    SECTION("room found right after holding releases at once") {
        CHECK(type("x") == 1);
        const u64 before = arch::fake_console_input_resumes();
        console_input_hold(); // as if the check raced with the zone's read
        CHECK(arch::fake_console_input_resumes() == before + 1);
    }
    SECTION("an ended console zone takes and drops everything") {
        CHECK(type(std::string(ZoneConsole::kRxFifo, 'y')) == ZoneConsole::kRxFifo);
        CHECK_FALSE(console_input_room());
        console_input_hold();
        const u64 before = arch::fake_console_input_resumes();
        zone_end(*z, ZoneState::stopped, BH_EXIT_STOPPED, 0, "test over");
        CHECK(arch::fake_console_input_resumes() == before + 1); // released by the end
        CHECK(console_input_room());
        CHECK(type(std::string(500, 'z')) == 500);
    }
    make_console_zone(nullptr);
    REQUIRE(m.destroy(*z) == Status::ok);
}
