// SPDX-License-Identifier: GPL-2.0-only
#include <guest/hypercall.hpp>
#include <guest/irq.hpp>
#include <guest/lapic.hpp>
#include <guest/timer.hpp>

namespace bh::timer {
namespace {

struct Periodic {
    u64 count_until;
    volatile u64 ticks;
};
Periodic periodic[kMaxVcpus];

void on_tick(u32) {
    Periodic& p = periodic[this_vcpu()];
    if (p.count_until == 0 || counter() < p.count_until) p.ticks = p.ticks + 1;
}

} // namespace

// Periodic mode re-arms itself in the APIC, so the rate does not drift with
// handler latency.
void start_periodic(u64 period_ticks, u64 count_until) {
    Periodic& p = periodic[this_vcpu()];
    p.count_until = count_until;
    p.ticks = 0;
    irq::set_handler(kVector, on_tick);
    u64 count = period_ticks * (lapic::timer_frequency() / 1000) / (frequency() / 1000);
    lapic::write(lapic::kTimerDivide, 0xb); // divide by 1
    lapic::write(lapic::kLvtTimer, (1u << 17) | kVector);
    lapic::write(lapic::kTimerInitial, count ? count : 1);
}

void stop_periodic() {
    lapic::write(lapic::kTimerInitial, 0);
    lapic::write(lapic::kLvtTimer, 1u << 16);
}

u64 periodic_ticks() { return periodic[this_vcpu()].ticks; }
// The APIC's periodic mode drops missed periods instead of catching up.
u64 periodic_late_ticks() { return 0; }

u64 frequency() {
    static volatile u64 hz = 0;
    if (!hz) {
        u32 khz = hc::in_zone() ? cpuid(0x40000010).eax : 0;
        hz = khz ? u64(khz) * 1000 : 1000000000ull;
    }
    return hz;
}

} // namespace bh::timer
