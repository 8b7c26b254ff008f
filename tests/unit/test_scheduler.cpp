// SPDX-License-Identifier: GPL-2.0-only
// The scheduler on the fake arch: round robin within a CPU, time slices,
// blocking and waking, kicks and pokes, dropping vCPUs of ended zones.
#include "fake_machine.hpp"

using namespace bh;
using bh::test::clear_cpu;
using bh::test::FakeMachine;
using bh::test::run_cpu;

namespace {} // namespace

TEST_CASE("scheduler: a started zone's boot vCPU runs on its home CPU", "[scheduler]") {
    FakeMachine m;
    Zone* z = m.create("solo", 1, {2});
    CHECK(run_cpu(2) == nullptr);
    arch::fake_set_cpu_id(0);
    REQUIRE(zone_start(*z) == Status::ok);
    CHECK(arch::fake_cpu_events(2).kicks == 1); // started from CPU 0: CPU 2 is told
    CHECK(run_cpu(1) == nullptr);               // never on another CPU
    CHECK(run_cpu(2) == &z->vcpus[0]);
    CHECK(z->vcpus[0].state == VcpuState::running);
    CHECK(z->vcpus[0].on_cpu.load());
    CHECK(z->vcpus[0].ctx.loaded_on.load() == 2);
    bh::test::end_and_destroy(m, {z});
}

TEST_CASE("scheduler: vCPUs sharing a CPU take turns by time slice", "[scheduler]") {
    FakeMachine m;
    Zone* a = m.create("a", 1, {1});
    Zone* b = m.create("b", 1, {1});
    REQUIRE(zone_start(*a) == Status::ok);
    REQUIRE(zone_start(*b) == Status::ok);
    REQUIRE(run_cpu(1) == &a->vcpus[0]);
    // Someone is waiting: the slice's end is programmed.
    CHECK(arch::fake_cpu_events(1).timer == arch::now() + sched::slice_ticks());
    // Before the slice ends, a decision keeps the current vCPU.
    arch::fake_advance(sched::slice_ticks() / 2);
    CHECK(run_cpu(1) == &a->vcpus[0]);
    arch::fake_advance(sched::slice_ticks());
    CHECK(run_cpu(1) == &b->vcpus[0]);
    CHECK(a->vcpus[0].state == VcpuState::runnable);
    CHECK_FALSE(a->vcpus[0].on_cpu.load());
    CHECK(a->vcpus[0].ctx.loaded_on.load() == -1);
    arch::fake_advance(sched::slice_ticks());
    CHECK(run_cpu(1) == &a->vcpus[0]);
    CHECK(arch::fake_switches_under_lock() == 0);
    bh::test::end_and_destroy(m, {a, b});
}

TEST_CASE("scheduler: a lone vCPU keeps its CPU with no slice timer", "[scheduler]") {
    FakeMachine m;
    Zone* a = m.create("alone", 1, {1});
    REQUIRE(zone_start(*a) == Status::ok);
    REQUIRE(run_cpu(1) == &a->vcpus[0]);
    CHECK(arch::fake_cpu_events(1).timer == 0);
    arch::fake_advance(10 * sched::slice_ticks());
    CHECK(run_cpu(1) == &a->vcpus[0]);
    bh::test::end_and_destroy(m, {a});
}

TEST_CASE("scheduler: yield hands the rest of the slice over", "[scheduler]") {
    FakeMachine m;
    Zone* a = m.create("a", 1, {1});
    Zone* b = m.create("b", 1, {1});
    REQUIRE(zone_start(*a) == Status::ok);
    REQUIRE(zone_start(*b) == Status::ok);
    REQUIRE(run_cpu(1) == &a->vcpus[0]);
    sched::yield_current();
    CHECK(arch::this_cpu().need_resched);
    CHECK(run_cpu(1) == &b->vcpus[0]);
    bh::test::end_and_destroy(m, {a, b});
}

TEST_CASE("scheduler: blocking, timers and wake-ups", "[scheduler]") {
    FakeMachine m;
    Zone* z = m.create("sleepy", 1, {1});
    REQUIRE(zone_start(*z) == Status::ok);
    Vcpu& v = z->vcpus[0];
    REQUIRE(run_cpu(1) == &v);

    SECTION("WFI with an interrupt pending does not block") {
        v.ctx.pending.store(1);
        sched::block_current();
        CHECK(v.state == VcpuState::running);
    }
    SECTION("WFI with an armed timer sleeps until it; the CPU's timer follows") {
        u64 deadline = arch::now() + 5000;
        arch::fake_arm_timer(v, deadline);
        sched::block_current();
        CHECK(v.state == VcpuState::blocked);
        CHECK(run_cpu(1) == nullptr);
        CHECK(arch::fake_cpu_events(1).timer == deadline);
        arch::fake_set_now(deadline);
        CHECK(run_cpu(1) == &v);
        CHECK(v.ctx.pending.load() == u64(1) << arch::kFakeTimerLine);
    }
    SECTION("WFI with a timer already due does not block") {
        arch::fake_arm_timer(v, arch::now());
        sched::block_current();
        CHECK(v.state == VcpuState::running);
        CHECK(v.ctx.pending.load() != 0);
    }
    SECTION("a device interrupt from another CPU wakes it and kicks its CPU") {
        sched::block_current();
        REQUIRE(run_cpu(1) == nullptr);
        u64 kicks = arch::fake_cpu_events(1).kicks;
        arch::fake_set_cpu_id(3);
        arch::fake_raise(v, 5);
        CHECK(v.state == VcpuState::runnable);
        CHECK(arch::fake_cpu_events(1).kicks == kicks + 1);
        arch::fake_set_cpu_id(1);
        CHECK(arch::fake_take_kick());
        CHECK(run_cpu(1) == &v);
    }
    SECTION("an interrupt for a running vCPU pokes its CPU, no kick") {
        u64 kicks = arch::fake_cpu_events(1).kicks;
        arch::fake_set_cpu_id(2);
        arch::fake_raise(v, 5);
        CHECK(arch::fake_cpu_events(1).pokes == 1);
        CHECK(arch::fake_cpu_events(1).kicks == kicks);
        CHECK(v.state == VcpuState::running);
    }
    bh::test::end_and_destroy(m, {z});
}

TEST_CASE("scheduler: a vCPU of an ended zone is dropped and never loaded again", "[scheduler]") {
    FakeMachine m;
    Zone* a = m.create("ending", 1, {1});
    Zone* b = m.create("other", 1, {1});
    REQUIRE(zone_start(*a) == Status::ok);
    REQUIRE(zone_start(*b) == Status::ok);
    REQUIRE(run_cpu(1) == &a->vcpus[0]);
    arch::fake_set_cpu_id(0);
    zone_end(*a, ZoneState::stopped, BH_EXIT_STOPPED, 0, "test");
    CHECK(arch::fake_cpu_events(1).kicks >= 1); // it was loaded there: told to exit
    CHECK(run_cpu(1) == &b->vcpus[0]);
    CHECK(a->vcpus[0].state == VcpuState::off);
    CHECK_FALSE(a->vcpus[0].on_cpu.load());
    bh::test::end_and_destroy(m, {a, b});
}

TEST_CASE("scheduler: detach refuses a vCPU still on its CPU", "[scheduler]") {
    FakeMachine m;
    Zone* z = m.create("busy", 1, {1});
    REQUIRE(zone_start(*z) == Status::ok);
    REQUIRE(run_cpu(1) == &z->vcpus[0]);
    arch::fake_set_cpu_id(0);
    zone_end(*z, ZoneState::stopped, BH_EXIT_STOPPED, 0, "test");
    CHECK(m.destroy(*z) == Status::busy); // still loaded on CPU 1
    CHECK(run_cpu(1) == nullptr);         // CPU 1's next decision drops it
    arch::fake_set_cpu_id(0);
    CHECK(m.destroy(*z) == Status::ok);
    CHECK(m.frames.free_pages() == m.free_at_start);
}

TEST_CASE("scheduler: PSCI CPU_OFF takes the vCPU off its CPU", "[scheduler]") {
    FakeMachine m;
    Zone* z = m.create("offing", 2, {1, 1});
    REQUIRE(zone_start(*z) == Status::ok);
    REQUIRE(run_cpu(1) == &z->vcpus[0]);
    REQUIRE(vcpu_power_on(*z, 1, z->ram.base, 7) == Status::ok);
    sched::stop_current();
    CHECK(run_cpu(1) == &z->vcpus[1]);
    CHECK(z->vcpus[1].ctx.regs.x[0] == 7);
    CHECK(z->vcpus[0].state == VcpuState::off);
    // And it can be started again while the zone runs.
    CHECK(vcpu_power_on(*z, 0, z->ram.base, 0) == Status::ok);
    CHECK(vcpu_power_on(*z, 0, z->ram.base, 0) == Status::busy);
    bh::test::end_and_destroy(m, {z});
}

TEST_CASE("locks: taking a lock out of order is caught", "[locks]") {
    FakeMachine m;
    Zone* z = m.create("ordered", 1, {1});
    {
        Lock<PerCpu> rq(bh::cpu(1));
        CHECK_THROWS_AS(Lock<Zone>(*z), arch::FakeLockOrderViolation);
    }
    {
        Lock<Zone> zl(*z);
        Lock<PerCpu> rq(bh::cpu(1)); // the right order
        CHECK(arch::fake_held_lock_levels() ==
              ((1u << static_cast<unsigned>(LockLevel::zone)) | (1u << static_cast<unsigned>(LockLevel::run_queue))));
    }
    CHECK(arch::fake_held_lock_levels() == 0);
    REQUIRE(m.destroy(*z) == Status::ok);
}
