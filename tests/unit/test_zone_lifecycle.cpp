// SPDX-License-Identifier: GPL-2.0-only
// Zone lifecycle on the fake arch: creating -> created -> running -> ended
// -> destroyed, memory scrubbing, handles, pins, watchdogs, power.
#include <algorithm>
#include <vector>

#include "fake_machine.hpp"

using namespace bh;
using bh::test::FakeMachine;
using bh::test::MiB;

TEST_CASE("lifecycle: a zone is built scrubbed, mapped and reset", "[lifecycle]") {
    FakeMachine m;
    // Dirty every free frame first: a new zone must not see old data.
    std::vector<HostPhys> dirty;
    HostPhys pa;
    while (m.frames.alloc(1, 1, pa)) {
        __builtin_memset(phys_to_ptr<void>(pa), 0xa5, kPageSize);
        dirty.push_back(pa);
    }
    for (HostPhys p : dirty) m.frames.free(p, 1);

    Zone* z = m.create("fresh", 2, {1, 2}, 4 * MiB);
    CHECK(z->state.load() == ZoneState::created);
    CHECK(z->scrubbed_bytes == 4 * MiB);
    for (unsigned i = 0; i < z->chunk_count; ++i) {
        const u8* p = phys_to_ptr<const u8>(z->chunks[i].host);
        CHECK(std::all_of(p, p + z->chunks[i].size, [](u8 b) { return b == 0; }));
        HostPhys out;
        MemAttr attr;
        CHECK(z->stage2.lookup(z->chunks[i].guest, out, attr));
        CHECK(out == z->chunks[i].host);
    }
    CHECK(z->vcpus[0].ctx.regs.pc == arch::kZonePlatform.default_ram_base.raw());
    CHECK(z->vcpus[1].home_cpu == 2);
    CHECK(z->arch.initialised);
    REQUIRE(m.destroy(*z) == Status::ok);
    CHECK(m.frames.free_pages() == m.free_at_start);
    CHECK(arch::fake_live_zones() == 0);
}

TEST_CASE("lifecycle: building in steps keeps the zone `creating` until done", "[lifecycle]") {
    FakeMachine m;
    ZoneSpec spec;
    std::strcpy(spec.name, "stepwise");
    spec.memory_size = 6 * MiB;
    Zone* z = nullptr;
    {
        Lock<ZoneTable> g(zones());
        REQUIRE(zones().reserve(g.held(), spec, z) == Status::ok);
        // The name is taken from the start.
        Zone* twin = nullptr;
        CHECK(zones().reserve(g.held(), spec, twin) == Status::bad_state);
    }
    unsigned steps = 0;
    bool done = false;
    while (!done) {
        REQUIRE(zone_build(*z, 1 * MiB, done) == Status::ok);
        ++steps;
        if (!done) CHECK(z->state.load() == ZoneState::creating);
        CHECK(z->scrubbed_bytes == (done ? 6 * MiB : steps * MiB));
    }
    CHECK(steps == 6);
    CHECK(z->state.load() == ZoneState::created);
    // A creating or created zone cannot be started twice or built again.
    CHECK(zone_build(*z, 1 * MiB, done) == Status::bad_state);
    REQUIRE(m.destroy(*z) == Status::ok);
    CHECK(m.frames.free_pages() == m.free_at_start);
}

TEST_CASE("lifecycle: states and the first end wins", "[lifecycle]") {
    FakeMachine m;
    Zone* z = m.create("states", 1, {1});
    CHECK(zone_start(*z) == Status::ok);
    CHECK(z->is_running());
    CHECK(zone_start(*z) == Status::bad_state);
    CHECK(m.destroy(*z) == Status::bad_state); // running: stop it first
    zone_end(*z, ZoneState::exited, BH_EXIT_CALL, 3, "test");
    zone_end(*z, ZoneState::crashed, BH_EXIT_FAULT, 4, "too late");
    CHECK(z->state.load() == ZoneState::exited);
    CHECK(z->exit_reason == BH_EXIT_CALL);
    CHECK(z->exit_code == 3);
    CHECK(zone_start(*z) == Status::bad_state);
    CHECK(vcpu_power_on(*z, 0, z->ram.base, 0) == Status::bad_state);
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("lifecycle: handles of destroyed zones never name their successors", "[lifecycle]") {
    FakeMachine m;
    Zone* a = m.create("first");
    ZoneHandle old = a->handle;
    REQUIRE(m.destroy(*a) == Status::ok);
    Zone* b = m.create("first");
    CHECK(b->handle.slot == old.slot);
    CHECK(b->handle.generation != old.generation);
    {
        Lock<ZoneTable> g(zones());
        CHECK(zones().lookup(g.held(), old) == nullptr);
        CHECK(zones().lookup(g.held(), b->handle) == b);
        CHECK(zones().find(g.held(), "first") == b);
    }
    REQUIRE(m.destroy(*b) == Status::ok);
}

TEST_CASE("lifecycle: running out of memory leaves nothing behind", "[lifecycle]") {
    FakeMachine m;
    ZoneSpec spec;
    std::strcpy(spec.name, "greedy");
    spec.memory_size = 128 * MiB; // more than the machine has
    Zone* z = nullptr;
    CHECK(zone_create(spec, z) == Status::no_memory);
    CHECK(m.frames.free_pages() == m.free_at_start);
    Lock<ZoneTable> g(zones());
    CHECK(zones().find(g.held(), "greedy") == nullptr);
}

TEST_CASE("lifecycle: a pinned zone is not destroyed", "[lifecycle]") {
    FakeMachine m;
    Zone* z = m.create("pinned");
    {
        ZonePin pin;
        {
            Lock<ZoneTable> g(zones());
            pin.hold(g.held(), *z);
        }
        CHECK(m.destroy(*z) == Status::busy);
    }
    CHECK(m.destroy(*z) == Status::ok);
}

TEST_CASE("lifecycle: a watchdog ends its zone at the deadline, not before", "[lifecycle]") {
    FakeMachine m;
    ZoneSpec spec;
    std::strcpy(spec.name, "watched");
    spec.memory_size = 2 * MiB;
    spec.cpus[0] = 1;
    spec.watchdog_ms = 20;
    Zone* z = nullptr;
    REQUIRE(zone_create(spec, z) == Status::ok);
    REQUIRE(zone_start(*z) == Status::ok);
    u64 deadline = z->watchdog_deadline;
    CHECK(deadline == arch::now() + 20 * arch::ticks_per_second() / 1000);
    CHECK(watchdog_next() == deadline);
    watchdog_check(deadline - 1);
    CHECK(z->is_running());
    watchdog_check(deadline);
    CHECK(z->state.load() == ZoneState::crashed);
    CHECK(z->exit_reason == BH_EXIT_WATCHDOG);
    CHECK(watchdog_next() == 0);
    for (unsigned c = 0; c < 4; ++c) {
        arch::fake_set_cpu_id(c);
        arch::this_cpu().need_resched = false;
    }
    arch::fake_set_cpu_id(0);
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("lifecycle: the machine powers off when the last zone ends", "[lifecycle]") {
    FakeMachine m;
    Zone* z = m.create("last");
    REQUIRE(zone_start(*z) == Status::ok);
    // The fixture's hold keeps the machine on; without it, this end would be the last.
    release_power();
    CHECK_THROWS_AS(zone_end(*z, ZoneState::exited, BH_EXIT_CALL, 0, "done"), arch::FakePowerOff);
    hold_power();
    CHECK(z->has_ended());
    REQUIRE(m.destroy(*z) == Status::ok);
}
