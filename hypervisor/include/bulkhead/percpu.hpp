// SPDX-License-Identifier: GPL-2.0-only
// Per physical CPU data, reached through arch::this_cpu().
#pragma once

#include <stddef.h>

#include <arch/vcpu_context.hpp>
#include <bulkhead/intrusive_list.hpp>
#include <bulkhead/spinlock.hpp>
#include <bulkhead/vcpu.hpp>

namespace bh {

// One limit for every architecture: the per-CPU table and everything sized
// by CPUs use it.
inline constexpr unsigned kMaxCpus = 8;

struct PerCpu {
    // Read by the exception vectors: keep first, in this order.
    arch::GuestRegs* guest_regs = nullptr; // the current vCPU's register frame
    u64 stack_top = 0;

    u32 index = 0;
    u64 hw_id = 0; // MPIDR affinity
    bool online = false;
    Vcpu* current = nullptr;
    u64 slice_end = 0;
    bool yield_requested = false;
    // Something may change what this CPU should run: an interrupt, a wake-up
    // homed here, a yield. Plain hypercalls and MMIO exits skip the scheduler.
    bool need_resched = true;

    Spinlock lock{LockLevel::run_queue}; // run queue, sleepers, and the state of every vCPU homed here
    Spinlock& spinlock() { return lock; }
    IntrusiveList<Vcpu, &Vcpu::node> runq;
    IntrusiveList<Vcpu, &Vcpu::node> sleepers; // sorted by wake_deadline

    // Counters for the benchmarks and the log.
    u64 exits = 0;
    u64 switches = 0;
};
static_assert(offsetof(PerCpu, guest_regs) == 0 && offsetof(PerCpu, stack_top) == 8, "vectors.S offsets");

} // namespace bh
