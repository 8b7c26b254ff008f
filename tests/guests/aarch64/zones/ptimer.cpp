// SPDX-License-Identifier: GPL-2.0-only
// The EL1 physical timer works in a zone: its interrupt (PPI 30) arrives at
// the programmed rate (+-10%), also while the vCPU waits in WFI (the
// hypervisor must wake it at the timer's deadline), and the virtual timer
// keeps working beside it.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/hypercall.hpp>
#include <guest/irq.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u32 kPtimerIntid = 30;
constexpr u64 kHz = 500;
constexpr u64 kWindowMs = 200;

volatile u64 period, window_end, ticks;

u64 physical_counter() {
    u64 v;
    asm volatile("isb\n mrs %0, cntpct_el0" : "=r"(v)::"memory");
    return v;
}
void set_cval(u64 v) { asm volatile("msr cntp_cval_el0, %0\n isb" ::"r"(v) : "memory"); }
u64 cval() {
    u64 v;
    asm volatile("mrs %0, cntp_cval_el0" : "=r"(v));
    return v;
}
void set_ctl(u64 v) { asm volatile("msr cntp_ctl_el0, %0\n isb" ::"r"(v) : "memory"); }

void on_tick(u32) {
    if (cval() < window_end) ticks = ticks + 1;
    set_cval(cval() + period);
    set_ctl(timer::kCtlEnable); // also clears a mask the hypervisor may have set
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("physical-timer");
    gic::init_distributor();
    gic::init_cpu();
    irq::set_handler(kPtimerIntid, on_tick);
    gic::enable_local(kPtimerIntid);
    irq_enable();

    period = timer::frequency() / kHz;
    u64 start = physical_counter();
    window_end = start + period * (kHz * kWindowMs / 1000) + period / 2;
    set_cval(start + period);
    set_ctl(timer::kCtlEnable);
    // Sleep through the window: only the timer can wake this vCPU.
    while (physical_counter() < window_end + 4 * period) wfi();
    set_ctl(0);
    u64 expected = kHz * kWindowMs / 1000;
    print("%llu physical-timer interrupts in %llu ms at %llu Hz (expected %llu)\n", static_cast<ull>(ticks),
          static_cast<ull>(kWindowMs), static_cast<ull>(kHz), static_cast<ull>(expected));
    test::check(ticks * 10 >= expected * 9 && ticks * 10 <= expected * 11, "rate off by more than 10%%");

    // The virtual timer still works next to it.
    timer::start_periodic(timer::frequency() / 1000);
    timer::delay_ms(20);
    timer::stop_periodic();
    test::check(timer::periodic_ticks() > 0, "no virtual-timer interrupt while the physical timer was in use");
    test::finish();
}
