// SPDX-License-Identifier: GPL-2.0-only
// Per-CPU round-robin scheduling of pinned vCPUs.
//
// Each physical CPU runs the vCPUs homed on it; a time slice of
// slice_ticks() ends with the hypervisor timer when others are waiting, so
// a vCPU that never yields cannot starve the rest. Blocked vCPUs with an
// armed timer wait on a sorted sleeper list that also programs the timer.
// A vCPU's state changes only under its home CPU's lock (PerCpu::lock);
// its registers are switched after that lock is dropped (Vcpu::on_cpu).
#pragma once

#include <bulkhead/percpu.hpp>
#include <bulkhead/spinlock.hpp>
#include <bulkhead/vcpu.hpp>

namespace bh {
class Zone;
}

namespace bh::sched {

// Makes an off vCPU runnable on its home CPU (zone start, vCPU start). The
// zone's lock is held, so the zone cannot end in between (vcpu_start_with).
void start(Locked<Zone> zone, Vcpu& v);
// Its zone was resumed: a vCPU the scheduler parked (state `paused`) goes
// back on its home run queue. Anything else is left as it is: a vCPU its
// CPU had not yet parked just keeps running.
void unpark(Locked<Zone> zone, Vcpu& v);
// Wakes a blocked vCPU (an interrupt became pending for it). Also pokes its
// home CPU when it is running there, so new interrupts are seen promptly.
void wake(Vcpu& v);
// The current vCPU executed WFI: blocks it unless an interrupt is pending.
void block_current();
// The current vCPU is done (PSCI CPU_OFF).
void stop_current();
// The current vCPU's access was forwarded (VcpuIo::waiting): it leaves its
// CPU until the server completes it, unless that happened already.
void wait_io_current();
// The server completed `v`'s access: records the result and makes `v`
// runnable again if it was waiting for it (any CPU may call this).
void finish_io(Vcpu& v, u64 value);
// Gives the rest of the time slice away.
void yield_current();
// Takes `v` off its queues for good (its zone has ended): true when it is
// off, on no list and loaded nowhere; false while it is still on its CPU.
[[nodiscard]] bool detach(Vcpu& v);
// Picks what this CPU runs next and loads it; idles until something is
// runnable.
void schedule();
// Called at the end of every exit: schedules only if something changed.
void schedule_if_needed();
// Marks this CPU as needing a scheduling decision at the end of this exit.
void request_reschedule();
// Length of a time slice in counter ticks.
u64 slice_ticks();

} // namespace bh::sched
