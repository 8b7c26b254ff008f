// SPDX-License-Identifier: GPL-2.0-only
// Pausing and resuming a zone on the fake arch: its vCPUs leave their CPUs
// (kicked where loaded) and wait parked, whatever they were doing; other
// zones keep their CPUs; resume puts them back; a paused zone still ends,
// and is destroyed only once it has.
#include "fake_machine.hpp"
#include "hypercall_call.hpp"

using namespace bh;
using bh::test::call;
using bh::test::end_and_destroy;
using bh::test::FakeMachine;
using bh::test::run_cpu;
using bh::test::status;

TEST_CASE("pause: a paused zone's vCPUs leave their CPUs; resume brings them back", "[pause]") {
    FakeMachine m;
    Zone* z = m.create("agent", 2, {1, 2});
    Zone* other = m.create("other", 1, {1});
    REQUIRE(zone_start(*z) == Status::ok);
    REQUIRE(vcpu_power_on(*z, 1, z->ram.base, 0) == Status::ok);
    REQUIRE(run_cpu(1) == &z->vcpus[0]);
    REQUIRE(run_cpu(2) == &z->vcpus[1]);
    REQUIRE(zone_start(*other) == Status::ok);

    arch::fake_set_cpu_id(0);
    u64 kicks1 = arch::fake_cpu_events(1).kicks, kicks2 = arch::fake_cpu_events(2).kicks;
    REQUIRE(zone_pause(*z) == Status::ok);
    CHECK(z->state.load() == ZoneState::paused);
    CHECK(arch::fake_cpu_events(1).kicks == kicks1 + 1); // both were loaded: told to exit
    CHECK(arch::fake_cpu_events(2).kicks == kicks2 + 1);
    CHECK(run_cpu(1) == &other->vcpus[0]); // the CPU goes to the other zone
    CHECK(run_cpu(2) == nullptr);
    for (Vcpu& v : z->vcpus)
        if (&v - z->vcpus < 2) {
            CHECK(v.state == VcpuState::paused);
            CHECK_FALSE(v.on_cpu.load());
        }
    // Paused stays paused, however often its CPUs decide.
    arch::fake_advance(10 * sched::slice_ticks());
    CHECK(run_cpu(1) == &other->vcpus[0]);
    CHECK(run_cpu(2) == nullptr);

    arch::fake_set_cpu_id(0);
    REQUIRE(zone_resume(*z) == Status::ok);
    CHECK(z->state.load() == ZoneState::running);
    CHECK(z->vcpus[0].state == VcpuState::runnable);
    CHECK(z->vcpus[1].state == VcpuState::runnable);
    CHECK(run_cpu(2) == &z->vcpus[1]);
    arch::fake_advance(sched::slice_ticks());
    CHECK(run_cpu(1) == &z->vcpus[0]); // its turn after the other zone's slice
    end_and_destroy(m, {z, other});
}

TEST_CASE("pause: the states it is allowed from", "[pause]") {
    FakeMachine m;
    Zone* z = m.create("states", 1, {1});
    CHECK(zone_pause(*z) == Status::bad_state); // created, never started
    CHECK(zone_resume(*z) == Status::bad_state);
    REQUIRE(zone_start(*z) == Status::ok);
    CHECK(zone_resume(*z) == Status::bad_state); // running
    REQUIRE(zone_pause(*z) == Status::ok);
    CHECK(zone_pause(*z) == Status::bad_state); // paused already
    CHECK(z->is_live());
    CHECK(m.destroy(*z) == Status::bad_state); // stop it first, as a running zone
    // A paused zone still ends (stopped, or its watchdog), and then goes.
    zone_end(*z, ZoneState::stopped, BH_EXIT_STOPPED, 0, "test");
    CHECK(zone_resume(*z) == Status::bad_state);
    CHECK(zone_pause(*z) == Status::bad_state);
    end_and_destroy(m, {z});
}

TEST_CASE("pause: what happens to a parked vCPU stays until resume", "[pause]") {
    FakeMachine m;
    Zone* z = m.create("sleeper", 2, {1, 1});
    REQUIRE(zone_start(*z) == Status::ok);
    Vcpu& v = z->vcpus[0];
    REQUIRE(run_cpu(1) == &v);

    SECTION("an interrupt for a blocked vCPU of a paused zone does not run it") {
        sched::block_current();
        REQUIRE(run_cpu(1) == nullptr);
        arch::fake_set_cpu_id(0);
        REQUIRE(zone_pause(*z) == Status::ok);
        arch::fake_raise(v, 5);
        CHECK(run_cpu(1) == nullptr);
        CHECK(v.state == VcpuState::paused);
        CHECK(v.ctx.pending.load() == u64(1) << 5); // kept for when it runs again
        arch::fake_set_cpu_id(0);
        REQUIRE(zone_resume(*z) == Status::ok);
        CHECK(run_cpu(1) == &v);
    }
    SECTION("a sibling started while the zone pauses is parked with the rest") {
        arch::fake_set_cpu_id(0);
        REQUIRE(zone_pause(*z) == Status::ok);
        // vCPU 0 has not left its CPU yet and starts vCPU 1 (PSCI CPU_ON).
        arch::fake_set_cpu_id(1);
        CHECK(vcpu_power_on(*z, 1, z->ram.base, 0) == Status::ok);
        CHECK(run_cpu(1) == nullptr);
        CHECK(z->vcpus[0].state == VcpuState::paused);
        CHECK(z->vcpus[1].state == VcpuState::paused);
        arch::fake_set_cpu_id(0);
        REQUIRE(zone_resume(*z) == Status::ok);
        Vcpu* first = run_cpu(1);
        CHECK((first == &z->vcpus[0] || first == &z->vcpus[1]));
    }
    SECTION("a resume before its CPU noticed the pause leaves it running") {
        arch::fake_set_cpu_id(0);
        REQUIRE(zone_pause(*z) == Status::ok);
        REQUIRE(zone_resume(*z) == Status::ok);
        CHECK(run_cpu(1) == &v);
        CHECK(v.state == VcpuState::running);
    }
    end_and_destroy(m, {z});
}

TEST_CASE("pause: ZONE_PAUSE and ZONE_RESUME by hypercall", "[pause][dispatch]") {
    FakeMachine m;
    Zone* manager = m.create("manager", 1, {0}, 2 * bh::test::MiB, true);
    Zone* z = m.create("worker", 1, {1});
    Vcpu& mv = manager->vcpus[0];
    REQUIRE(zone_start(*z) == Status::ok);
    arch::fake_set_cpu_id(0);
    CHECK(status(call(mv, BH_HC_ZONE_PAUSE, manager->handle.raw())) == Status::invalid_argument); // not itself
    CHECK(status(call(mv, BH_HC_ZONE_PAUSE, 0xdead0007)) == Status::not_found);
    CHECK(status(call(mv, BH_HC_ZONE_RESUME, z->handle.raw())) == Status::bad_state);
    CHECK(status(call(mv, BH_HC_ZONE_PAUSE, z->handle.raw())) == Status::ok);
    bh::test::Call st = call(mv, BH_HC_ZONE_STATUS, z->handle.raw());
    CHECK(st.result.ret[0] == BH_ZONE_PAUSED);
    CHECK(status(call(mv, BH_HC_ZONE_DESTROY, z->handle.raw())) == Status::bad_state);
    CHECK(status(call(mv, BH_HC_ZONE_RESUME, z->handle.raw())) == Status::ok);
    st = call(mv, BH_HC_ZONE_STATUS, z->handle.raw());
    CHECK(st.result.ret[0] == BH_ZONE_RUNNING);
    // The worker has no right to pause anyone.
    CHECK(status(call(z->vcpus[0], BH_HC_ZONE_PAUSE, manager->handle.raw())) == Status::permission_denied);
    end_and_destroy(m, {z, manager});
}
