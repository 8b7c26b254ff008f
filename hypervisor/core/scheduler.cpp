// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh::sched {
namespace {

u64 deadline_of(const Vcpu& v) { return v.wake_deadline; }

// Called with c.lock held.
void wake_expired(PerCpu& c, u64 now) {
    while (Vcpu* v = c.sleepers.front()) {
        if (v->wake_deadline > now) break;
        c.sleepers.remove(*v);
        arch::vcpu_timer_expired(*v);
        v->state = VcpuState::runnable;
        c.runq.push_back(*v);
    }
}

// Called with c.lock held.
void program_timer(PerCpu& c, bool contended, u64 now) {
    u64 deadline = 0;
    if (contended) deadline = c.slice_end > now ? c.slice_end : now + 1;
    if (c.index == 0)
        if (u64 w = watchdog_next(); w && (deadline == 0 || w < deadline)) deadline = w;
    if (Vcpu* s = c.sleepers.front())
        if (deadline == 0 || s->wake_deadline < deadline) deadline = s->wake_deadline;
    arch::set_timer(deadline);
}

} // namespace

u64 slice_ticks() { return arch::ticks_per_second() / 100; } // 10 ms

void request_reschedule() { arch::this_cpu().need_resched = true; }

// The home CPU must look at its queues: directly if it is this one, by a
// kick (whose interrupt requests it there) otherwise.
static void notify_home(const Vcpu& v) {
    if (v.home_cpu == arch::this_cpu().index) request_reschedule();
    else arch::kick_cpu(v.home_cpu);
}

void start(Vcpu& v) {
    PerCpu& home = arch::cpu(v.home_cpu);
    {
        LockGuard g(home.lock);
        if (v.state != VcpuState::off) return;
        v.state = VcpuState::runnable;
        home.runq.push_back(v);
    }
    notify_home(v);
}

void wake(Vcpu& v) {
    PerCpu& home = arch::cpu(v.home_cpu);
    bool kick = false, poke = false;
    {
        LockGuard g(home.lock);
        if (v.state == VcpuState::blocked) {
            home.sleepers.remove(v);
            v.state = VcpuState::runnable;
            home.runq.push_back(v);
            kick = true;
        } else if (v.state == VcpuState::running) {
            poke = true; // it must exit to see the new interrupt; its CPU's queues are unchanged
        }
    }
    if (kick) notify_home(v);
    // On this CPU the loaded vCPU sees it at the end of this exit anyway.
    else if (poke && v.home_cpu != arch::this_cpu().index) arch::poke_cpu(v.home_cpu);
}

void block_current() {
    PerCpu& c = arch::this_cpu();
    Vcpu* v = c.current;
    LockGuard g(c.lock);
    // Checked under the lock a waker takes, so a wake-up cannot slip between
    // the check and the block.
    if (arch::vcpu_has_pending_interrupt(*v)) return;
    u64 deadline = arch::vcpu_timer_deadline(*v);
    if (deadline && deadline <= arch::now()) {
        arch::vcpu_timer_expired(*v);
        return;
    }
    v->state = VcpuState::blocked;
    v->wake_deadline = deadline;
    if (deadline) c.sleepers.insert_sorted(*v, deadline_of);
}

void stop_current() {
    PerCpu& c = arch::this_cpu();
    LockGuard g(c.lock);
    c.current->state = VcpuState::off;
}

void yield_current() {
    arch::this_cpu().yield_requested = true;
    request_reschedule();
}

bool detach(Vcpu& v) {
    PerCpu& home = arch::cpu(v.home_cpu);
    LockGuard g(home.lock);
    if (v.on_cpu) return false;
    home.runq.remove(v);
    home.sleepers.remove(v);
    v.state = VcpuState::off;
    return true;
}

void schedule_if_needed() {
    PerCpu& c = arch::this_cpu();
    Vcpu* cur = c.current;
    if (c.need_resched || !cur || cur->state != VcpuState::running || !cur->zone->is_running()) schedule();
}

void schedule() {
    PerCpu& c = arch::this_cpu();
    for (;;) {
        c.need_resched = false;
        if (c.index == 0) watchdog_check(arch::now()); // before taking c.lock: it may end zones
        Vcpu* cur = c.current;
        Vcpu* next = nullptr;
        {
            LockGuard g(c.lock);
            u64 now = arch::now();
            wake_expired(c, now);
            bool yield = c.yield_requested;
            c.yield_requested = false;
            if (cur && cur->state == VcpuState::running && !cur->zone->is_running()) cur->state = VcpuState::off;
            bool keep = cur && cur->state == VcpuState::running;
            bool slice_over = now >= c.slice_end;
            if (keep && !yield && !slice_over) {
                next = cur;
            } else {
                while (Vcpu* n = c.runq.pop_front()) {
                    if (n->zone->is_running()) {
                        next = n;
                        break;
                    }
                    n->state = VcpuState::off;
                }
                if (keep) {
                    if (next) {
                        cur->state = VcpuState::runnable;
                        c.runq.push_back(*cur);
                    } else {
                        next = cur;
                    }
                }
                if (next) c.slice_end = now + slice_ticks();
            }
            if (next) next->state = VcpuState::running;
            program_timer(c, next && !c.runq.empty(), now);
            if (next != cur) {
                // Saving and loading under the lock keeps on_cpu exact for detach().
                if (cur) {
                    arch::vcpu_save(*cur);
                    cur->on_cpu = false;
                }
                if (next) {
                    arch::vcpu_load(*next);
                    next->on_cpu = true;
                    ++c.switches;
                }
                c.current = next;
                c.guest_regs = next ? &next->ctx.regs : nullptr;
            }
        }
        if (next) return;
        arch::idle_wait();
    }
}

} // namespace bh::sched
