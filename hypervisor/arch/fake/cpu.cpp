// SPDX-License-Identifier: GPL-2.0-only
#include <arch/cpu.hpp>

#include <sched.h>

namespace bh::arch {
namespace {
thread_local unsigned current_cpu = 0;
} // namespace

// Yield rather than spin: test threads may outnumber the host's cores.
void cpu_relax() { sched_yield(); }

unsigned cpu_id() { return current_cpu; }

void fake_set_cpu_id(unsigned id) { current_cpu = id; }

void halt_machine() { throw FakeHalt{}; }

} // namespace bh::arch
