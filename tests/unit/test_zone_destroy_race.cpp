// SPDX-License-Identifier: GPL-2.0-only
// Hole 3 of the attacker's review: ZONE_DESTROY racing VCPU_ON (PSCI
// CPU_ON, STARTUP IPIs). A zone's vCPUs restart each other as fast as they
// can while a manager stops and destroys the zone; fake CPUs are host
// threads. Destroying must never leave one of the zone's vCPUs on a run
// queue, a freed zone's vCPU must never be loaded, and every frame must come
// back.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "fake_machine.hpp"

using namespace bh;
using bh::test::FakeMachine;

namespace {

// Starts that succeeded although the call began after zone_end had
// returned: each one is the hole.
std::atomic<unsigned> late_starts{0};
std::atomic<const Zone*> ended_zone{nullptr};

// Whether any CPU's run queue or sleeper list still holds a vCPU of `z`.
bool queued_anywhere(const Zone* z) {
    bool found = false;
    for (unsigned c = 0; c < bh::online_cpus(); ++c) {
        PerCpu& pc = bh::cpu(c);
        Lock<PerCpu> g(pc);
        pc.runq.for_each([&](Vcpu& v) { found |= v.zone == z; });
        pc.sleepers.for_each([&](Vcpu& v) { found |= v.zone == z; });
    }
    return found;
}

// One fake CPU: runs whatever the scheduler gives it; the "guest" of each
// vCPU starts its siblings and sometimes turns itself off (PSCI CPU_OFF),
// so there is always an off sibling to restart.
void cpu_loop(unsigned cpu, std::atomic<bool>& stop) {
    arch::fake_set_cpu_id(cpu);
    u64 round = 0;
    while (!stop.load()) {
        try {
            // The exit path: whatever changed is decided here.
            arch::fake_take_kick();
            sched::schedule_if_needed();
        } catch (const arch::FakeIdle&) {
            // An idle CPU looks at its queue only now and then, as a real
            // one waits for an interrupt: a stray vCPU stays queued a while.
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            continue;
        }
        Vcpu* v = arch::this_cpu().current;
        Zone& z = *v->zone;
        for (u32 i = 0; i < z.vcpu_count; ++i)
            if (i != v->index)
                for (int k = 0; k < 8; ++k) {
                    bool ended_before = ended_zone.load() == &z;
                    if (vcpu_power_on(z, i, z.ram.base, 0) == Status::ok && ended_before) late_starts.fetch_add(1);
                }
        if (++round % 3 == 0) sched::stop_current();
    }
    // Leave the CPU empty for the next test.
    PerCpu& c = arch::this_cpu();
    if (Vcpu* v = c.current) {
        arch::vcpu_save(*v);
        v->on_cpu.store(false);
        c.current = nullptr;
    }
}

} // namespace

TEST_CASE("zone lifecycle: destroy racing VCPU_ON never frees a queued vCPU", "[lifecycle][race][security]") {
    FakeMachine m(4);
    std::atomic<bool> stop{false};
    std::vector<std::thread> cpus;
    for (unsigned c = 1; c < 4; ++c) cpus.emplace_back(cpu_loop, c, std::ref(stop));

    // The manager yields after every run-queue lock it drops, between the
    // vCPUs destroy detaches one by one: that is where a restart slips in.
    arch::fake_set_lock_release_hook([](unsigned level) {
        if (level == static_cast<unsigned>(LockLevel::run_queue)) std::this_thread::yield();
    });
    unsigned queued_after_destroy = 0, busy_retries = 0;
    constexpr unsigned kRounds = 500;
    for (unsigned round = 0; round < kRounds; ++round) {
        Zone* z = m.create("racer", 3, {1, 2, 3});
        REQUIRE(zone_start(*z) == Status::ok);
        // Let the vCPUs start each other for a moment.
        for (unsigned spin = 0; spin < 50 + round % 200; ++spin) std::this_thread::yield();
        zone_end(*z, ZoneState::stopped, BH_EXIT_STOPPED, 0, "test");
        ended_zone.store(z);
        for (;;) {
            Status s = m.destroy(*z);
            if (s == Status::ok) break;
            REQUIRE(s == Status::busy);
            ++busy_retries;
            std::this_thread::yield();
        }
        if (queued_anywhere(z)) ++queued_after_destroy;
        ended_zone.store(nullptr);
    }
    arch::fake_set_lock_release_hook(nullptr);
    stop.store(true);
    for (auto& t : cpus) t.join();

    INFO("destroy answered busy " << busy_retries
                                  << " times; vCPUs started after their zone ended: " << late_starts.load());
    CHECK(late_starts.load() == 0);
    CHECK(queued_after_destroy == 0);
    CHECK(arch::fake_bad_loads() == 0);
    CHECK(arch::fake_live_zones() == 0);
    CHECK(m.frames.free_pages() == m.free_at_start);
}

// The interleaving the review found, step by step on one thread: destroy has
// already detached vCPU 0 when vCPU 2, still in an exit on its CPU after the
// zone ended, starts vCPU 0 again. That start must be refused, or the zone
// would be freed with vCPU 0 on CPU 1's run queue.
TEST_CASE("zone lifecycle: an ended zone's vCPUs cannot be started again", "[lifecycle][security]") {
    FakeMachine m(4);
    Zone* z = m.create("ended", 3, {1, 2, 3});
    REQUIRE(zone_start(*z) == Status::ok);
    arch::fake_set_cpu_id(1);
    sched::schedule(); // vCPU 0 runs on CPU 1
    REQUIRE(arch::this_cpu().current == &z->vcpus[0]);
    REQUIRE(vcpu_power_on(*z, 2, z->ram.base, 0) == Status::ok);
    arch::fake_set_cpu_id(3);
    sched::schedule(); // vCPU 2 runs on CPU 3
    REQUIRE(arch::this_cpu().current == &z->vcpus[2]);
    arch::fake_set_cpu_id(1);
    sched::stop_current(); // vCPU 0 turns itself off (PSCI CPU_OFF)
    REQUIRE_THROWS_AS(sched::schedule(), arch::FakeIdle);

    zone_end(*z, ZoneState::stopped, BH_EXIT_STOPPED, 0, "test");
    // vCPU 2 is still in its exit on CPU 3 and starts vCPU 0 again.
    arch::fake_set_cpu_id(3);
    CHECK(vcpu_power_on(*z, 0, z->ram.base, 0) == Status::bad_state);
    CHECK(z->vcpus[0].state == VcpuState::off);
    CHECK_FALSE(z->vcpus[0].node.linked());
    // Its exit ends: the scheduler drops it, and the zone can go.
    REQUIRE_THROWS_AS(sched::schedule(), arch::FakeIdle);
    CHECK(m.destroy(*z) == Status::ok);
    CHECK_FALSE(queued_anywhere(z));
    CHECK(m.frames.free_pages() == m.free_at_start);
}
