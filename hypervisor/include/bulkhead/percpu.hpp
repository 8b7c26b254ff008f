// SPDX-License-Identifier: GPL-2.0-only
// Per physical CPU data: one table for every architecture (core/percpu.cpp),
// each CPU reaching its own entry through arch::this_cpu(), the arch's own
// per-CPU state a member of it (arch::CpuContext).
#pragma once

#include <stddef.h>

#include <arch/cpu_context.hpp>
#include <arch/vcpu_context.hpp>
#include <bulkhead/atomic.hpp>
#include <bulkhead/intrusive_list.hpp>
#include <bulkhead/limits.hpp>
#include <bulkhead/spinlock.hpp>
#include <bulkhead/vcpu.hpp>

namespace bh {

struct PerCpu {
    // Read by the exception vectors: keep first, in this order.
    arch::GuestRegs* guest_regs = nullptr; // the current vCPU's register frame
    u64 stack_top = 0;

    u32 index = 0;
    u64 hw_id = 0; // MPIDR affinity (arm64), APIC ID (x86)
    Atomic<bool> online{false};
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

    // How this CPU's start went (cpu_start_*): a CPU that comes up after the
    // boot CPU gave up on it must not join.
    enum class Start : u8 { absent, starting, online, abandoned };
    Atomic<Start> start{Start::absent};

    arch::CpuContext arch;
};
static_assert(offsetof(PerCpu, guest_regs) == 0 && offsetof(PerCpu, stack_top) == 8, "vectors.S offsets");

PerCpu& cpu(unsigned index);
// CPUs that are online. Their indices may have gaps (a CPU that failed to
// start keeps its index); everything that counts CPUs for a user (manifest
// `cpus`, vCPU placement) counts online CPUs in index order instead:
unsigned online_cpus();
// The index of the n-th online CPU (n < online_cpus()), and back.
unsigned online_cpu(unsigned n);
unsigned online_ordinal(unsigned index);

// Starting a secondary CPU: the boot CPU marks `index` starting, the CPU
// itself comes online (false: the boot CPU gave up on it first, and it must
// park without touching anything shared), the boot CPU waits until the
// deadline and otherwise abandons it. The boot CPU marks itself online.
void cpu_start_begin(unsigned index, u64 hw_id);
[[nodiscard]] bool cpu_start_arrived(unsigned index);
[[nodiscard]] bool cpu_start_wait(unsigned index, u64 deadline);
void cpu_mark_online(unsigned index);
// Every entry empty again (the fake machine's reset between tests).
void cpus_reset();

} // namespace bh
