// SPDX-License-Identifier: GPL-2.0-only
// The scheduler under concurrency, with host threads as CPUs: an interrupt
// raised from another CPU while a vCPU goes to sleep is never lost.
#include <atomic>
#include <chrono>
#include <thread>

#include "fake_machine.hpp"

using namespace bh;
using bh::test::FakeMachine;

TEST_CASE("scheduler: no wake-up is lost between WFI and an interrupt from another CPU", "[scheduler][race]") {
    FakeMachine m(4);
    Zone* z = m.create("sleeper", 1, {1});
    REQUIRE(zone_start(*z) == Status::ok);
    Vcpu& v = z->vcpus[0];
    std::atomic<bool> stop{false};
    std::atomic<u64> handled{0};

    // CPU 1 runs the vCPU; its "guest" takes each interrupt, and waits
    // (WFI) whenever none is pending.
    std::thread cpu1([&] {
        arch::fake_set_cpu_id(1);
        while (!stop.load()) {
            try {
                arch::fake_take_kick();
                sched::schedule_if_needed();
            } catch (const arch::FakeIdle&) {
                std::this_thread::sleep_for(std::chrono::microseconds(20));
                continue;
            }
            if (v.ctx.pending.exchange(0)) {
                handled.fetch_add(1);
            } else {
                // A guest may take its time between finding nothing pending
                // and its WFI; an interrupt arriving then must still wake it.
                std::this_thread::yield();
                sched::block_current();
            }
        }
        PerCpu& c = arch::this_cpu();
        if (c.current) {
            arch::vcpu_save(*c.current);
            c.current->on_cpu.store(false);
            c.current = nullptr;
        }
    });

    // CPU 2 raises an interrupt, waits until it was taken, and again.
    arch::fake_set_cpu_id(2);
    constexpr u64 kRounds = 3000;
    u64 lost = 0;
    for (u64 i = 0; i < kRounds && !lost; ++i) {
        arch::fake_raise(v, 3);
        auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (handled.load() <= i) {
            if (std::chrono::steady_clock::now() > give_up) {
                lost = i + 1;
                break;
            }
            std::this_thread::yield();
        }
    }
    stop.store(true);
    cpu1.join();
    INFO("interrupt " << lost << " was never taken (0: none lost)");
    CHECK(lost == 0);
    CHECK(handled.load() == kRounds);
    arch::fake_set_cpu_id(0);
    zone_end(*z, ZoneState::stopped, BH_EXIT_STOPPED, 0, "test");
    REQUIRE(m.destroy(*z) == Status::ok);
    CHECK(arch::fake_bad_loads() == 0);
}
