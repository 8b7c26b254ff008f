// SPDX-License-Identifier: GPL-2.0-only
// Time for x86 test zones: the TSC, at the rate the hypervisor reports in
// CPUID leaf 0x40000010 (kHz), or 1 GHz where nothing reports one.
#pragma once

#include <guest/cpu.hpp>

namespace bh::timer {

u64 frequency();
inline u64 counter() { return rdtsc(); }
inline u64 ms_to_ticks(u64 ms) { return frequency() * ms / 1000; }
inline u64 ticks_to_ns(u64 ticks) { return ticks * 1000000ull / (frequency() / 1000); }

inline void delay_ms(u64 ms) {
    u64 end = counter() + ms_to_ticks(ms);
    while (counter() < end) {}
}

inline constexpr u8 kVector = 0x40; // the local APIC timer's vector in test zones

// A periodic local-APIC timer interrupt on the calling vCPU, counting ticks
// (the APIC must be initialised: lapic::init). If count_until is given,
// only interrupts taken while the counter is below it count.
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
