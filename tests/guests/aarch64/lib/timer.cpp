// SPDX-License-Identifier: GPL-2.0-only
// Periodic virtual-timer interrupts. The next deadline is kept in memory and
// advanced by exactly one period per interrupt, and CTL is rewritten with
// IMASK clear, because the hypervisor may mask the timer when it delivers.
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/irq.hpp>
#include <guest/timer.hpp>

namespace bh::timer {
namespace {

struct Periodic {
    u64 period;
    u64 next;
    u64 count_until;
    volatile u64 ticks;
    volatile u64 late; // taken long after their deadline: catching up after a stall
};

// Late means more than 50 periods behind: a vCPU held up that long was
// stalled (by the hypervisor), not merely scheduled late by the emulator's
// host, whose hiccups of some milliseconds the catch-up absorbs.
constexpr u64 kLatePeriods = 50;
Periodic periodic[kMaxVcpus];

void on_tick(u32) {
    Periodic& p = periodic[this_vcpu()];
    u64 now = counter();
    bool counted = p.count_until == 0 || now < p.count_until;
    if (counted && now - p.next > kLatePeriods * p.period) p.late = p.late + 1;
    p.next += p.period;
    set_cval(p.next);
    set_ctl(kCtlEnable);
    if (counted) p.ticks = p.ticks + 1;
}

} // namespace

void start_periodic(u64 period_ticks, u64 count_until, Rearm) { // always catch_up
    Periodic& p = periodic[this_vcpu()];
    p.period = period_ticks;
    p.count_until = count_until;
    p.ticks = 0;
    p.late = 0;
    irq::set_handler(kIntid, on_tick);
    gic::enable_local(kIntid);
    p.next = counter() + period_ticks;
    set_cval(p.next);
    set_ctl(kCtlEnable);
}

void stop_periodic() {
    set_ctl(0);
    gic::disable_local(kIntid);
}

u64 periodic_ticks() { return periodic[this_vcpu()].ticks; }
u64 periodic_late_ticks() { return periodic[this_vcpu()].late; }

} // namespace bh::timer
