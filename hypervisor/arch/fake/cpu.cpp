// SPDX-License-Identifier: GPL-2.0-only
#include <arch/cpu.hpp>

#include <sched.h>

namespace bh::arch {
namespace {
thread_local unsigned current_cpu = 0;
thread_local u64 held_levels = 0;
thread_local void (*release_hook)(unsigned) = nullptr;
} // namespace

// Yield rather than spin: test threads may outnumber the host's cores.
void cpu_relax() { sched_yield(); }

unsigned cpu_id() { return current_cpu; }

void fake_set_cpu_id(unsigned id) { current_cpu = id; }

void halt_machine() { throw FakeHalt{}; }

void note_lock_acquired(unsigned level) {
    // Any held level at or above this one means the order is broken.
    if (held_levels >> level) throw FakeLockOrderViolation{};
    held_levels |= u64(1) << level;
}

void note_lock_released(unsigned level) {
    held_levels &= ~(u64(1) << level);
    if (release_hook) release_hook(level);
}

void fake_set_lock_release_hook(void (*hook)(unsigned)) { release_hook = hook; }

u64 fake_held_lock_levels() { return held_levels; }

} // namespace bh::arch
