// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/host_console.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh::sched {
namespace {

u64 deadline_of(const Vcpu& v) { return v.wake_deadline; }

void wake_expired(Locked<PerCpu> c, u64 now) {
    while (Vcpu* v = c->sleepers.front()) {
        if (v->wake_deadline > now) break;
        c->sleepers.remove(*v);
        arch::vcpu_timer_expired(*v);
        v->state = VcpuState::runnable;
        c->runq.push_back(*v);
    }
}

void program_timer(Locked<PerCpu> c, bool contended, u64 now) {
    u64 deadline = 0;
    if (contended) deadline = c->slice_end > now ? c->slice_end : now + 1;
    if (c->index == 0)
        if (u64 w = watchdog_next(); w && (deadline == 0 || w < deadline)) deadline = w;
    if (Vcpu* s = c->sleepers.front())
        if (deadline == 0 || s->wake_deadline < deadline) deadline = s->wake_deadline;
    arch::set_timer(deadline);
}

// A vCPU whose zone no longer runs leaves: parked while the zone is paused
// (zone_resume requeues it; the zone state is read under this CPU's lock,
// which unpark takes too, so a resume cannot miss it), off once it ended.
void leave(Vcpu& v) { v.state = v.zone->state.load() == ZoneState::paused ? VcpuState::paused : VcpuState::off; }

// What this CPU runs next: the current vCPU until its slice ends or it
// yields or stops, then the run queue's head (dropping vCPUs whose zone
// ended or paused). Marks the choice running and loaded; switching
// registers is the caller's, after the lock.
Vcpu* pick_next(Locked<PerCpu> c, Vcpu* cur, u64 now) {
    wake_expired(c, now);
    bool yield = c->yield_requested;
    c->yield_requested = false;
    if (cur && cur->state == VcpuState::running && !cur->zone->is_running()) leave(*cur);
    bool keep = cur && cur->state == VcpuState::running;
    Vcpu* next = nullptr;
    if (keep && !yield && now < c->slice_end) {
        next = cur;
    } else {
        while (Vcpu* n = c->runq.pop_front()) {
            if (n->zone->is_running()) {
                next = n;
                break;
            }
            leave(*n);
        }
        if (keep) {
            if (next) {
                cur->state = VcpuState::runnable;
                c->runq.push_back(*cur);
            } else {
                next = cur;
            }
        }
        if (next) c->slice_end = now + slice_ticks();
    }
    if (next) {
        next->state = VcpuState::running;
        next->on_cpu.store(true);
    }
    program_timer(c, next && !c->runq.empty(), now);
    return next;
}

} // namespace

u64 slice_ticks() { return arch::ticks_per_second() / 100; } // 10 ms

void request_reschedule() { arch::this_cpu().need_resched = true; }

// The home CPU must look at its queues: directly if it is this one, by a
// kick (whose interrupt requests it there) otherwise.
static void notify_home(const Vcpu& v) {
    if (v.home_cpu == arch::this_cpu().index)
        request_reschedule();
    else
        arch::kick_cpu(v.home_cpu);
}

void start(Locked<Zone>, Vcpu& v) {
    {
        Lock<PerCpu> home(bh::cpu(v.home_cpu));
        if (v.state != VcpuState::off) return;
        v.state = VcpuState::runnable;
        home->runq.push_back(v);
    }
    notify_home(v);
}

void unpark(Locked<Zone>, Vcpu& v) {
    {
        Lock<PerCpu> home(bh::cpu(v.home_cpu));
        if (v.state != VcpuState::paused) return;
        v.state = VcpuState::runnable;
        home->runq.push_back(v);
    }
    notify_home(v);
}

void wake(Vcpu& v) {
    bool kick = false, poke = false;
    {
        Lock<PerCpu> home(bh::cpu(v.home_cpu));
        if (v.state == VcpuState::blocked) {
            home->sleepers.remove(v);
            v.state = VcpuState::runnable;
            home->runq.push_back(v);
            kick = true;
        } else if (v.state == VcpuState::running) {
            poke = true; // it must exit to see the new interrupt; its CPU's queues are unchanged
        }
    }
    if (kick) notify_home(v);
    // On this CPU the loaded vCPU sees it at the end of this exit anyway.
    else if (poke && v.home_cpu != arch::this_cpu().index)
        arch::poke_cpu(v.home_cpu);
}

void block_current() {
    PerCpu& c = arch::this_cpu();
    Vcpu* v = c.current;
    Lock<PerCpu> g(c);
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
    Lock<PerCpu> g(c);
    c.current->state = VcpuState::off;
}

void wait_io_current() {
    PerCpu& c = arch::this_cpu();
    Lock<PerCpu> g(c);
    // Under the lock finish_io takes: a completion cannot slip in between.
    if (c.current->io.state.load() == VcpuIo::State::waiting) c.current->state = VcpuState::io_wait;
}

void finish_io(Vcpu& v, u64 value) {
    bool kick = false;
    {
        Lock<PerCpu> home(cpu(v.home_cpu));
        v.io.value = value;
        v.io.state.store(VcpuIo::State::done);
        if (v.state == VcpuState::io_wait) {
            v.state = VcpuState::runnable;
            home->runq.push_back(v);
            kick = true;
        }
    }
    if (kick) notify_home(v);
}

void yield_current() {
    arch::this_cpu().yield_requested = true;
    request_reschedule();
}

bool detach(Vcpu& v) {
    Lock<PerCpu> home(bh::cpu(v.home_cpu));
    if (v.on_cpu.load()) return false;
    home->runq.remove(v);
    home->sleepers.remove(v);
    v.state = VcpuState::off;
    return !v.node.linked();
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
        host_console::drain(host_console::kSchedulerDrainBytes); // what a slow UART left behind
        if (c.index == 0) watchdog_check(arch::now());           // before taking c.lock: it may end zones
        Vcpu* cur = c.current;
        Vcpu* next;
        {
            Lock<PerCpu> g(c);
            next = pick_next(g.held(), cur, arch::now());
        }
        // Registers are switched without the run-queue lock, which wakers
        // on other CPUs take. on_cpu stays set on the outgoing vCPU until it
        // is saved, so nobody resets or frees it meanwhile.
        if (next != cur) {
            if (cur) {
                arch::vcpu_save(*cur);
                cur->on_cpu.store(false);
            }
            if (next) {
                arch::vcpu_load(*next);
                ++c.switches;
            }
            c.current = next;
            c.guest_regs = next ? &next->ctx.regs : nullptr;
        }
        if (next) return;
        arch::idle_wait();
    }
}

} // namespace bh::sched
