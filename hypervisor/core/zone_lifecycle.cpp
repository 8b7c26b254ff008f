// SPDX-License-Identifier: GPL-2.0-only
// Starting and ending zones, the power hold, watchdogs, console input.
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/host_console.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_signal.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh {

namespace {
Atomic<u32> running_zones{0}; // reaching zero powers the machine off
Atomic<u64> next_watchdog{0}; // earliest watchdog deadline of a running zone
} // namespace

Status zone_start(Zone& z) {
    Lock<Zone> zl(z);
    if (z.state.load() != ZoneState::created) return Status::bad_state;
    running_zones.fetch_add(1);
    u64 now = arch::now();
    z.console.set_start_time(now);
    if (z.watchdog_ms) {
        z.watchdog_deadline = now + z.watchdog_ms * arch::ticks_per_second() / 1000;
        // Publish the earlier deadline; CPU 0 re-arms its timer at its next decision.
        next_watchdog.store_min(z.watchdog_deadline);
        if (arch::this_cpu().index != 0)
            arch::kick_cpu(0);
        else
            sched::request_reschedule();
    }
    z.state.store(ZoneState::running);
    sched::start(zl.held(), z.vcpus[0]);
    return Status::ok;
}

Status zone_pause(Zone& z) {
    Lock<Zone> zl(z);
    if (z.state.load() != ZoneState::running) return Status::bad_state;
    z.state.store(ZoneState::paused);
    // Loaded vCPUs must exit to notice; their CPUs then park them.
    unsigned self = arch::this_cpu().index;
    for (u32 i = 0; i < z.vcpu_count; ++i)
        if (z.vcpus[i].on_cpu.load() && z.vcpus[i].home_cpu != self) arch::kick_cpu(z.vcpus[i].home_cpu);
    sched::request_reschedule(); // one may be loaded here
    return Status::ok;
}

Status zone_resume(Zone& z) {
    Lock<Zone> zl(z);
    if (z.state.load() != ZoneState::paused) return Status::bad_state;
    z.state.store(ZoneState::running);
    for (u32 i = 0; i < z.vcpu_count; ++i) sched::unpark(zl.held(), z.vcpus[i]);
    return Status::ok;
}

void zone_end(Zone& z, ZoneState state, u32 reason, u64 code, const char* why) {
    bool was_running;
    {
        Lock<Zone> zl(z);
        if (z.has_ended()) return;
        was_running = z.is_live();
        z.exit_reason = reason;
        z.exit_code = code;
        z.state.store(state);
    }
    z.console.flush();
    // Its forwarded requests end with it: a server can no longer complete
    // one (a waiting vCPU stays parked until the zone is destroyed).
    z.ioreqs.cancel();
    signal_creator(z);
    if (state == ZoneState::exited)
        log("zone '%s' exited: code %llu (%s)", z.name, static_cast<unsigned long long>(code), why);
    else if (state == ZoneState::crashed)
        log("zone '%s' crashed: %s", z.name, why);
    else
        log("zone '%s' stopped: %s", z.name, why);
    // vCPUs loaded elsewhere must exit to notice; the scheduler then drops them.
    unsigned self = arch::this_cpu().index;
    for (u32 i = 0; i < z.vcpu_count; ++i)
        if (z.vcpus[i].on_cpu.load() && z.vcpus[i].home_cpu != self) arch::kick_cpu(z.vcpus[i].home_cpu);
    if (was_running) release_power();
}

u64 watchdog_next() { return next_watchdog.load(); }

void watchdog_check(u64 now) {
    u64 due = watchdog_next();
    if (due == 0 || due > now) return;
    ZoneTable& t = zones();
    Lock<ZoneTable> g(t);
    u64 next = 0;
    for (unsigned i = 0; i < ZoneTable::kSlots; ++i) {
        Zone* z = t.at(g.held(), i);
        // Pausing does not stop the clock: the limit is wall time since the start.
        if (!z || !z->is_live() || !z->watchdog_deadline) continue;
        if (z->watchdog_deadline <= now) {
            char why[64];
            format(why, sizeof why, "watchdog: still running after %llu ms",
                   static_cast<unsigned long long>(z->watchdog_ms));
            zone_end(*z, ZoneState::crashed, BH_EXIT_WATCHDOG, z->watchdog_ms, why);
        } else if (next == 0 || z->watchdog_deadline < next) {
            next = z->watchdog_deadline;
        }
    }
    next_watchdog.store(next);
}

void console_input(char c) {
    ZoneTable& t = zones();
    Lock<ZoneTable> g(t);
    if (Zone* z = t.console_zone(g.held())) (void)z->console.receive(c); // a full FIFO drops it, as a UART's would
}

void hold_power() { running_zones.fetch_add(1); }

void release_power() {
    if (running_zones.fetch_sub(1) == 1) {
        log("all zones have ended; powering off");
        host_console::flush(); // the last lines reach the console before the power goes
        arch::power_off();
    }
}

} // namespace bh
