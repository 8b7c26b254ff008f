// SPDX-License-Identifier: GPL-2.0-only
// Round-trip costs, measured with the virtual counter and averaged: a null
// hypercall (PSCI_VERSION over HVC), an emulated MMIO read (GICD_TYPER) and
// an SGI ping-pong between two vCPUs, timed both as a round trip and one
// way (from just before the sender's SGI write to the first instruction of
// the receiver's handler, on the counter both vCPUs share). The same image
// runs in a zone and on bare QEMU at EL1, where QEMU's firmware answers the
// HVC; the runner puts the two side by side. Built for Xen's domU platform
// too (bench-xen: docs/performance.md). Also: an IPI whose sender waits until
// the receiver's handler has run (a flag in memory, no SGI back), and the
// lateness of a 10 ms virtual-timer interrupt to a running vCPU. Prints
// numbers only, never judges them.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/hypercall.hpp>
#include <guest/irq.hpp>
#include <guest/mmio.hpp>
#include <guest/psci.hpp>
#include <guest/smp.hpp>
#include <guest/sysreg.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u32 kCalls = 2000;
constexpr u32 kSgis = 200;
constexpr u32 kWarmup = 20;
constexpr u32 kSgiPing = 1;
constexpr u32 kSgiPong = 2;
constexpr u32 kSgiWait = 3;
constexpr u32 kTimerRounds = 100;

volatile u32 pongs;
volatile u64 ping_sent_at;  // counter just before vCPU 0 sends a ping
volatile u64 one_way_ticks; // summed by vCPU 1's handler
volatile u32 one_way_count;
volatile u32 secondary_up;
volatile u32 secondary_idles; // 0: vCPU 1 spins between SGIs; 1: it waits in WFI
volatile u32 waits_handled;   // vCPU 1's kSgiWait handler counts here
volatile u64 timer_late_ticks;
volatile u32 timer_fired;

void report(const char* name, u64 ticks, u32 iterations) {
    u64 ns = timer::ticks_to_ns(ticks) / iterations;
    print("BULKHEAD-BENCH %s %llu ns\n", name, static_cast<ull>(ns));
}

void bench_hypercall() {
    for (u32 i = 0; i < kWarmup; ++i) smccc_hvc(psci::kVersion);
    u64 t0 = timer::counter();
    for (u32 i = 0; i < kCalls; ++i) smccc_hvc(psci::kVersion);
    report("null-hypercall", timer::counter() - t0, kCalls);
}

void bench_mmio() {
    for (u32 i = 0; i < kWarmup; ++i) mmio::read32(gic::kGicdTyper);
    u64 t0 = timer::counter();
    for (u32 i = 0; i < kCalls; ++i) mmio::read32(gic::kGicdTyper);
    report("mmio-read", timer::counter() - t0, kCalls);
}

void secondary(u64) {
    gic::init_cpu();
    irq::set_handler(kSgiPing, [](u32) {
        one_way_ticks = one_way_ticks + (timer::counter() - ping_sent_at);
        one_way_count = one_way_count + 1;
        gic::send_sgi(kSgiPong, 0);
    });
    gic::enable_local(kSgiPing);
    irq::set_handler(kSgiWait, [](u32) { waits_handled = waits_handled + 1; });
    gic::enable_local(kSgiWait);
    irq_enable();
    secondary_up = 1;
    for (;;) {
        if (secondary_idles)
            wfi();
        else
            cpu_relax();
    }
}

// What the virtual GIC says when an SGI did not come back (diagnosis).
[[noreturn]] void lost(const char* what, u32 n) {
    constexpr u64 kIspendr0 = 0x200, kIsactiver0 = 0x300;
    print("%s: n %u pongs %u one-way %u; vCPU 0 pending 0x%x active 0x%x; vCPU 1 pending 0x%x active 0x%x; "
          "HPPIR %u RPR 0x%llx\n",
          what, n, pongs, one_way_count, mmio::read32(gic::sgi_frame(0) + kIspendr0),
          mmio::read32(gic::sgi_frame(0) + kIsactiver0), mmio::read32(gic::sgi_frame(1) + kIspendr0),
          mmio::read32(gic::sgi_frame(1) + kIsactiver0), static_cast<u32>(BH_MRS(icc_hppir1_el1)),
          static_cast<ull>(BH_MRS(icc_rpr_el1)));
    test::error("%s", what);
}

bool ping(u32 n) {
    ping_sent_at = timer::counter();
    gic::send_sgi(kSgiPing, 1);
    u64 give_up = timer::counter() + timer::ms_to_ticks(1000);
    // The counter is read only every 4096 polls: under QEMU every counter
    // read takes its global lock, and a waiter hammering it slows down
    // every interrupt-controller access of the CPUs it waits for.
    for (u32 polls = 1; pongs < n; ++polls)
        if (polls % 4096 == 0 && timer::counter() >= give_up) return false;
    return true;
}

void bench_sgi() {
    irq::set_handler(kSgiPong, [](u32) { pongs = pongs + 1; });
    gic::enable_local(kSgiPong);
    irq_enable();
    if (smp::start_vcpu(1, secondary, 0) != psci::kSuccess) test::error("CPU_ON of vCPU 1 failed");
    u64 give_up = timer::counter() + timer::ms_to_ticks(2000);
    while (!secondary_up)
        if (timer::counter() >= give_up) test::error("vCPU 1 did not come up");
    // Interrupt delivery to a busy vCPU, then wake-up of an idle one (the
    // latter is dominated by how fast the emulator wakes a halted CPU).
    u32 n = 0;
    const char* names[2] = {"sgi-round-trip", "sgi-round-trip-wfi"};
    const char* one_way[2] = {"sgi-one-way", "sgi-one-way-wfi"};
    for (u32 idle = 0; idle < 2; ++idle) {
        secondary_idles = idle;
        for (u32 i = 0; i < kWarmup; ++i)
            if (!ping(++n)) lost("no SGI came back", n);
        one_way_ticks = 0;
        one_way_count = 0;
        u64 t0 = timer::counter();
        for (u32 i = 0; i < kSgis; ++i)
            if (!ping(++n)) lost("no SGI came back", n);
        report(names[idle], timer::counter() - t0, kSgis);
        report(one_way[idle], one_way_ticks, one_way_count);
    }
    secondary_idles = 0;
}

// The sender waits (polling memory) until vCPU 1's handler has run.
void bench_ipi_wait() {
    u32 n = 0;
    u64 t0 = 0;
    for (u32 i = 0; i < kWarmup + kSgis; ++i) {
        if (i == kWarmup) t0 = timer::counter();
        ++n;
        gic::send_sgi(kSgiWait, 1);
        u64 give_up = timer::counter() + timer::ms_to_ticks(1000);
        for (u32 polls = 1; waits_handled < n; ++polls)
            if (polls % 4096 == 0 && timer::counter() >= give_up) lost("the IPI was not handled", n);
    }
    report("ipi-wait", timer::counter() - t0, kSgis);
}

// A 10 ms virtual-timer interrupt to this vCPU while it runs (spins): how
// long after its deadline the handler starts. vCPU 1 waits in WFI meanwhile,
// so that the emulator's timer thread does not compete with two spinning
// vCPU threads for the host's cores.
void bench_timer_lateness() {
    secondary_idles = 1;
    irq::set_handler(timer::kIntid, [](u32) {
        timer_late_ticks = timer_late_ticks + (timer::counter() - timer::cval());
        timer::set_ctl(0);
        timer_fired = timer_fired + 1;
    });
    gic::enable_local(timer::kIntid);
    irq_enable();
    for (u32 i = 0; i < kTimerRounds + 1; ++i) {
        if (i == 1) timer_late_ticks = 0; // the first round warms up
        timer::set_cval(timer::counter() + timer::ms_to_ticks(10));
        timer::set_ctl(timer::kCtlEnable);
        u64 give_up = timer::counter() + timer::ms_to_ticks(1000);
        for (u32 polls = 1; timer_fired <= i; ++polls)
            if (polls % 4096 == 0 && timer::counter() >= give_up) test::error("no timer interrupt");
    }
    report("timer-lateness-10ms", timer_late_ticks, kTimerRounds);
    gic::disable_local(timer::kIntid);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("bench");
#ifdef BH_GUEST_PLATFORM_XEN
    const char* where = "a Xen domU";
#else
    const char* where = hc::in_zone() ? "in a zone" : "bare QEMU at EL1";
#endif
    print("bench: %s, counter at %llu Hz\n", where, static_cast<ull>(timer::frequency()));
    gic::init_distributor();
    gic::init_cpu();
    bench_hypercall();
    bench_mmio();
    bench_sgi();
    bench_ipi_wait();
    bench_timer_lateness();
    test::success();
}
