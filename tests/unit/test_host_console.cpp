// SPDX-License-Identifier: GPL-2.0-only
// The host console's buffer and the zones' console budgets (hole 5 of the
// attacker's review: one chatty zone must not stall or crowd out anyone).
#include <bulkhead/host_console.hpp>
#include <bulkhead/log.hpp>

#include <arch/console.hpp>

#include <string>

#include "fake_machine.hpp"

using namespace bh;
using bh::test::FakeMachine;

namespace {

unsigned count(const std::string& text, const std::string& what) {
    unsigned n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

} // namespace

TEST_CASE("host console: zone lines are tagged with the zone's name", "[log]") {
    FakeMachine m;
    Zone* a = m.create("alpha");
    Zone* b = m.create("beta");
    arch::fake_console_clear();
    zone_console_line(*a, "hi there", 8);
    zone_console_line(*b, "done\n", 5);
    zone_console_line(*a, "ignored tail", 7); // only len bytes count
    CHECK(arch::fake_console_take() == "[alpha] hi there\n[beta] done\n[alpha] ignored\n");
    REQUIRE(m.destroy(*a) == Status::ok);
    REQUIRE(m.destroy(*b) == Status::ok);
}

TEST_CASE("host console: a zone over its budget loses its own lines only", "[log][security]") {
    FakeMachine m;
    Zone* chatty = m.create("chatty");
    Zone* quiet = m.create("quiet");
    arch::fake_console_clear();
    std::string line(99, 'c');
    // Far more than the burst, all at one instant.
    unsigned lines = 2 * LogBudget::kBurstBytes / 100;
    for (unsigned i = 0; i < lines; ++i) zone_console_line(*chatty, line.data(), line.size());
    zone_console_line(*quiet, "still here", 10);
    log("hypervisor too");
    std::string out = arch::fake_console_take();
    unsigned shown = count(out, "[chatty] ");
    CHECK(shown < lines);
    CHECK(shown * (line.size() + 10) <= LogBudget::kBurstBytes);
    CHECK(shown * (line.size() + 10) > LogBudget::kBurstBytes - 200);
    CHECK(chatty->log_budget.total_dropped() == lines - shown);
    CHECK(count(out, "[quiet] still here\n") == 1);
    CHECK(count(out, "hypervisor too\n") == 1);

    // A second later it has earned a second's worth, and the drop is
    // reported (once: the next report may come a second later).
    arch::fake_advance(arch::ticks_per_second());
    zone_console_line(*chatty, "back", 4);
    out = arch::fake_console_take();
    CHECK(count(out, "zone 'chatty': " + std::to_string(lines - shown) + " console and log lines dropped") == 1);
    CHECK(count(out, "[chatty] back\n") == 1);
    for (unsigned i = 0; i < lines; ++i) zone_console_line(*chatty, line.data(), line.size());
    arch::fake_advance(arch::ticks_per_second() / 2);
    for (unsigned i = 0; i < 40; ++i) zone_console_line(*chatty, "again", 5);
    out = arch::fake_console_take();
    CHECK(count(out, "lines dropped") == 0);
    CHECK(count(out, "[chatty] again") > 0);
    REQUIRE(m.destroy(*chatty) == Status::ok);
    REQUIRE(m.destroy(*quiet) == Status::ok);
}

TEST_CASE("host console: lines about a zone's misbehaviour share its budget", "[log][security]") {
    FakeMachine m;
    Zone* z = m.create("faulty");
    arch::fake_console_clear();
    for (unsigned i = 0; i < 20000; ++i) zone_log(*z, "zone '%s': something illegal number %u", z->name, i);
    std::string out = arch::fake_console_take();
    CHECK(out.size() <= LogBudget::kBurstBytes + 20000);
    CHECK(z->log_budget.total_dropped() > 0);
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("host console: a slow UART never makes a writer wait for it", "[log]") {
    FakeMachine m;
    Zone* z = m.create("waiting");
    arch::fake_console_clear();
    arch::fake_console_set_room(10); // the UART takes 10 more bytes, then is busy
    zone_console_line(*z, "first line", 10);
    CHECK(arch::fake_console_take() == "[waiting] ");
    CHECK(host_console::pending() == std::string("first line\n").size());
    // More lines queue up behind it, in order.
    zone_console_line(*z, "second", 6);
    CHECK(arch::fake_console_take().empty());
    // When the UART has room again, the next drain (an exit, the idle loop)
    // sends the rest.
    arch::fake_console_set_room(~u64(0));
    host_console::drain();
    CHECK(arch::fake_console_take() == "first line\n[waiting] second\n");
    CHECK(host_console::pending() == 0);
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("host console: a full buffer drops zone lines but never the hypervisor's", "[log]") {
    FakeMachine m;
    Zone* z[3] = {m.create("filler0"), m.create("filler1"), m.create("filler2")};
    arch::fake_console_clear();
    arch::fake_console_set_room(0);
    std::string line(200, 'f');
    // Three zones' bursts are more than the buffer holds.
    for (Zone* f : z)
        for (unsigned i = 0; i < 700; ++i) zone_console_line(*f, line.data(), line.size());
    for (Zone* f : z) CHECK(f->log_budget.total_dropped() > 0);
    log("the hypervisor's line"); // made room by waiting for the UART
    std::string out = arch::fake_console_take();
    CHECK(out.size() > 256 * 1024 - 300);
    arch::fake_console_set_room(~u64(0));
    host_console::drain();
    out = arch::fake_console_take();
    CHECK(count(out, "the hypervisor's line\n") == 1);
    CHECK(host_console::pending() == 0);
    for (Zone* f : z) REQUIRE(m.destroy(*f) == Status::ok);
}
