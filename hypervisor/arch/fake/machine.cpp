// SPDX-License-Identifier: GPL-2.0-only
// The fake machine: CPUs, a hand-moved clock, kicks and pokes, the CPU's
// hypervisor timer and power. See <arch/fake.hpp>.
#include <arch/fake.hpp>

#include <new>

#include <bulkhead/arch_interface.hpp>

namespace bh::arch {
namespace {

Atomic<u64> clock{1};

struct CpuEvents {
    Atomic<u64> kicks{0};
    Atomic<u64> pokes{0};
    Atomic<u64> timer{0};
    Atomic<bool> kick_pending{false};
};
CpuEvents events[kMaxCpus];

} // namespace

void fake_reset_machine(unsigned n) {
    cpus_reset();
    for (unsigned i = 0; i < kMaxCpus; ++i) {
        cpu(i).index = i;
        if (i < n) cpu_mark_online(i);
        events[i].kicks.store(0);
        events[i].pokes.store(0);
        events[i].timer.store(0);
        events[i].kick_pending.store(false);
    }
    clock.store(1);
}

void fake_set_now(u64 ticks) { clock.store(ticks); }
void fake_advance(u64 ticks) { clock.fetch_add(ticks); }

FakeCpuEvents fake_cpu_events(unsigned i) {
    return {events[i].kicks.load(), events[i].pokes.load(), events[i].timer.load()};
}

bool fake_take_kick() {
    if (!events[cpu_id()].kick_pending.exchange(false)) return false;
    this_cpu().need_resched = true;
    return true;
}

PerCpu& this_cpu() { return cpu(cpu_id()); }

u64 now() { return clock.load(); }
u64 ticks_per_second() { return kFakeTicksPerSecond; }
void set_timer(u64 deadline) { events[cpu_id()].timer.store(deadline); }

void kick_cpu(unsigned index) {
    events[index].kicks.fetch_add(1);
    events[index].kick_pending.store(true);
}

void poke_cpu(unsigned index) {
    events[index].pokes.fetch_add(1);
    events[index].kick_pending.store(true);
}

void idle_wait() {
    if (!fake_take_kick()) throw FakeIdle{};
}

void power_off() { throw FakePowerOff{}; }

} // namespace bh::arch
