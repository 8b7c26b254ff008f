// SPDX-License-Identifier: GPL-2.0-only
// What a host unit test may do to and see of the fake machine: a clock it
// moves by hand, CPUs it brings online, the kicks, pokes, timers and
// power-off requests the core made, and checks on vCPU loads.
//
// A test thread acts as CPU n after fake_set_cpu_id(n) (<arch/cpu.hpp>).
// Nothing runs by itself: a "CPU" is whatever thread calls the scheduler
// for it. idle_wait() takes any kick sent to the CPU; when none arrived it
// throws FakeIdle, so a test (or a test thread's loop) sees that the CPU
// had nothing to run instead of hanging.
#pragma once

#include <exception>

#include <bulkhead/types.hpp>

namespace bh {
struct Vcpu;
class Zone;
} // namespace bh

namespace bh::arch {

struct FakeIdle : std::exception {
    const char* what() const noexcept override { return "bulkhead: a fake CPU went idle"; }
};

struct FakePowerOff : std::exception {
    const char* what() const noexcept override { return "bulkhead: power_off() on the fake arch"; }
};

// Resets the whole fake machine: `cpus` CPUs online, the clock at 1,
// counters and timers cleared, every per-CPU structure emptied.
void fake_reset_machine(unsigned cpus);

void fake_set_now(u64 ticks);
void fake_advance(u64 ticks);
inline constexpr u64 kFakeTicksPerSecond = 1000000; // 1 us per tick

struct FakeCpuEvents {
    u64 kicks = 0;
    u64 pokes = 0;
    u64 timer = 0; // the last deadline set_timer programmed (0: off)
};
FakeCpuEvents fake_cpu_events(unsigned cpu);
// Takes a pending kick or poke for the calling thread's CPU, as its
// interrupt handler would; true if there was one.
bool fake_take_kick();

// Loads of a vCPU while loaded elsewhere, or of a vCPU whose zone was
// already torn down (zone_fini ran): each one is a bug in the core.
u64 fake_bad_loads();
// vCPU loads and saves done while the CPU held any lock.
u64 fake_switches_under_lock();
// How many zones are between zone_init and zone_fini.
u64 fake_live_zones();

// Interrupt line `line` of `v` becomes pending (and wakes it), as a device
// would raise it.
void fake_raise(Vcpu& v, u32 line);
// Arms the vCPU's timer for `deadline` (0: off), as a guest would.
void fake_arm_timer(Vcpu& v, u64 deadline);

} // namespace bh::arch
