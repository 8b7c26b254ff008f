// SPDX-License-Identifier: GPL-2.0-only
#include <guest/hypercall.hpp>
#include <guest/irq.hpp>
#include <guest/lapic.hpp>
#include <guest/timer.hpp>

namespace bh::timer {
namespace {

struct Periodic {
    u64 count_until;
    u64 period;
    u64 next; // catch_up: the deadline armed
    volatile u64 ticks;
    volatile u64 late;
};
Periodic periodic[kMaxVcpus];
constexpr u64 kLatePeriods = 50; // as arm64's (aarch64/lib/timer.cpp)

void on_tick(u32) {
    Periodic& p = periodic[this_vcpu()];
    if (p.count_until == 0 || counter() < p.count_until) p.ticks = p.ticks + 1;
}

void on_deadline(u32) {
    Periodic& p = periodic[this_vcpu()];
    u64 now = counter();
    bool counted = p.count_until == 0 || now < p.count_until;
    if (counted && now - p.next > kLatePeriods * p.period) p.late = p.late + 1;
    p.next += p.period;
    wrmsr(lapic::kMsrTscDeadline, p.next);
    if (counted) p.ticks = p.ticks + 1;
}

} // namespace

// Periodic mode re-arms itself in the APIC, so the rate does not drift with
// handler latency.
void start_periodic(u64 period_ticks, u64 count_until, Rearm how) {
    Periodic& p = periodic[this_vcpu()];
    p.count_until = count_until;
    p.period = period_ticks;
    p.ticks = 0;
    p.late = 0;
    if (how == Rearm::catch_up) {
        irq::set_handler(kVector, on_deadline);
        lapic::write(lapic::kLvtTimer, (2u << 17) | kVector); // TSC-deadline mode
        p.next = counter() + period_ticks;
        wrmsr(lapic::kMsrTscDeadline, p.next);
        return;
    }
    irq::set_handler(kVector, on_tick);
    u64 count = period_ticks * (lapic::timer_frequency() / 1000) / (frequency() / 1000);
    lapic::write(lapic::kTimerDivide, 0xb); // divide by 1
    lapic::write(lapic::kLvtTimer, (1u << 17) | kVector);
    lapic::write(lapic::kTimerInitial, count ? count : 1);
}

void stop_periodic() {
    wrmsr(lapic::kMsrTscDeadline, 0);
    lapic::write(lapic::kTimerInitial, 0);
    lapic::write(lapic::kLvtTimer, 1u << 16);
}

u64 periodic_ticks() { return periodic[this_vcpu()].ticks; }
// (The APIC's periodic mode drops missed periods instead: none are late.)
u64 periodic_late_ticks() { return periodic[this_vcpu()].late; }

u64 frequency() {
    static volatile u64 hz = 0;
    if (!hz) {
        u32 khz = hc::in_zone() ? cpuid(0x40000010).eax : 0;
        hz = khz ? u64(khz) * 1000 : 1000000000ull;
    }
    return hz;
}

} // namespace bh::timer
