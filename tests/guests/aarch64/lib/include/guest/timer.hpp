// SPDX-License-Identifier: GPL-2.0-only
// The EL1 virtual timer and counter. Time in tests is always virtual-counter
// time, so results do not depend on how fast the emulator runs.
#pragma once

#include <guest/types.hpp>

namespace bh::timer {

inline constexpr u32 kIntid = 27; // virtual timer PPI
inline constexpr u64 kCtlEnable = 1u << 0;
inline constexpr u64 kCtlImask = 1u << 1;
inline constexpr u64 kCtlIstatus = 1u << 2;

inline u64 counter() {
    u64 v;
    asm volatile("isb\n mrs %0, cntvct_el0" : "=r"(v)::"memory");
    return v;
}
inline u64 frequency() {
    u64 v;
    asm volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}
inline void set_cval(u64 v) { asm volatile("msr cntv_cval_el0, %0\n isb" ::"r"(v) : "memory"); }
inline u64 cval() {
    u64 v;
    asm volatile("mrs %0, cntv_cval_el0" : "=r"(v));
    return v;
}
inline void set_ctl(u64 v) { asm volatile("msr cntv_ctl_el0, %0\n isb" ::"r"(v) : "memory"); }
inline u64 ctl() {
    u64 v;
    asm volatile("mrs %0, cntv_ctl_el0" : "=r"(v));
    return v;
}

inline u64 ms_to_ticks(u64 ms) { return frequency() * ms / 1000; }
// ticks * 1e9 stays below 2^64 for any interval a test measures (< 500 years).
inline u64 ticks_to_ns(u64 ticks) { return ticks * 1000000000ull / frequency(); }

// Busy-waits without interrupts or hypercalls (the hypervisor may still
// preempt the vCPU; counter time passes regardless).
inline void delay_ms(u64 ms) {
    u64 end = counter() + ms_to_ticks(ms);
    while (counter() < end) {}
}

// A periodic virtual-timer interrupt on the calling vCPU, counting ticks.
// Re-armed with CVAL += period, so the rate does not drift with handler
// latency. The GIC CPU interface must be initialised first. If count_until
// is given, only interrupts taken while the counter is below it count, so a
// vCPU held up after the window (and then catching up) cannot inflate a
// measured rate.
// How the next period is armed: by the timer hardware itself (x86's APIC
// periodic mode, which drops periods the vCPU missed), or by the handler at
// deadline + period (arm64 always; x86 with the TSC deadline), which
// catches missed periods up and counts those as late.
enum class Rearm { hardware, catch_up };
void start_periodic(u64 period_ticks, u64 count_until = 0, Rearm how = Rearm::hardware);
void stop_periodic();
u64 periodic_ticks(); // on the calling vCPU
// Of those, the ones taken more than 50 periods late, catching up after the
// vCPU was stalled (always 0 where missed periods are dropped instead).
u64 periodic_late_ticks();

} // namespace bh::timer

#include <guest/timer_wait.hpp> // timer::wait_for
