// SPDX-License-Identifier: GPL-2.0-only
// Fake arch for host unit tests: the CPU interface of <bulkhead/arch_cpu.hpp>
// implemented on top of ordinary host threads. Each test thread plays one
// physical CPU (fake_set_cpu_id).
//
// halt_machine() throws FakeHalt instead of stopping, so a test can assert
// that a panic happened (REQUIRE_THROWS_AS(..., bh::arch::FakeHalt)); the
// panic line itself is on the fake console (see <arch/console.hpp>).
// Taking a lock out of order (see bulkhead/spinlock.hpp) throws
// FakeLockOrderViolation at the acquisition.
#pragma once

#include <exception>

#include <bulkhead/types.hpp>

namespace bh::arch {

struct FakeHalt : std::exception {
    const char* what() const noexcept override { return "bulkhead: halt_machine() on the fake arch"; }
};

struct FakeLockOrderViolation : std::exception {
    const char* what() const noexcept override { return "bulkhead: a lock was taken out of order"; }
};

void cpu_relax();
unsigned cpu_id();
[[noreturn]] void halt_machine();

// Every acquisition and release of a Spinlock, with its level: the fake arch
// keeps the levels each thread holds and refuses a lock at or above one of
// them (levels are 1-63).
void note_lock_acquired(unsigned level);
void note_lock_released(unsigned level);

// Test hooks: the value cpu_id() returns on the calling thread (default 0),
// and the lock levels it holds (a bit per level).
void fake_set_cpu_id(unsigned id);
u64 fake_held_lock_levels();
// Runs `hook(level)` on the calling thread after each release of a lock
// (nullptr: none): a test widens race windows with it, e.g. by yielding
// between the steps of an operation that takes a lock per step.
void fake_set_lock_release_hook(void (*hook)(unsigned level));

} // namespace bh::arch
