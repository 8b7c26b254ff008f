// SPDX-License-Identifier: GPL-2.0-only
// Round-trip costs on x86, measured with RDTSC and averaged: a null
// hypercall (BH_HC_VERSION), a CPUID the hypervisor answers, a read of the
// zone's 16550 line status (a port I/O exit), a read of the local APIC's
// version register through its xAPIC page (a nested page fault, instruction
// fetch and decode, the device model) and through its x2APIC MSR, an
// illegal access turned into #GP (the fault policy and an injected
// exception), and an IPI between two vCPUs, timed as a round trip and one
// way (from just before the sender's ICR write to the first instruction of
// the receiver's handler; the TSC is the same on both). Prints numbers
// only, never judges them.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/irq.hpp>
#include <guest/lapic.hpp>
#include <guest/probe.hpp>
#include <guest/smp.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u32 kCalls = 2000;
constexpr u32 kFaults = 200;
constexpr u32 kIpis = 200;
constexpr u32 kWarmup = 20;
constexpr u8 kPing = 0x50, kPong = 0x51;

volatile u32 pongs;
volatile u64 ping_sent_at;
volatile u64 one_way_ticks;
volatile u32 one_way_count;
volatile u32 secondary_up;

void report(const char* name, u64 ticks, u32 n) {
    print("BULKHEAD-BENCH %s %llu ns\n", name, static_cast<ull>(timer::ticks_to_ns(ticks) / n));
    print("BULKHEAD-BENCH %s-tsc %llu ticks\n", name, static_cast<ull>(ticks / n));
}

template <class F>
void measure(const char* name, u32 n, F f) {
    for (u32 i = 0; i < kWarmup; ++i) f();
    u64 t0 = rdtsc();
    for (u32 i = 0; i < n; ++i) f();
    report(name, rdtsc() - t0, n);
}

// vCPU 1 spins with interrupts on and answers every ping.
void responder(u64) {
    lapic::init(true);
    irq::set_handler(kPing, [](u32) {
        one_way_ticks = one_way_ticks + (rdtsc() - ping_sent_at);
        one_way_count = one_way_count + 1;
        lapic::send_ipi(0, kPong);
    });
    asm volatile("sti" ::: "memory");
    secondary_up = 1;
    for (;;) cpu_relax();
}

void measure_ipis() {
    irq::set_handler(kPong, [](u32) { pongs = pongs + 1; });
    asm volatile("sti" ::: "memory");
    if (smp::start_vcpu(1, responder, 0) != BH_OK) test::fail("BH_HC_VCPU_ON failed");
    u64 end = timer::counter() + timer::ms_to_ticks(2000);
    while (!secondary_up)
        if (timer::counter() > end) test::fail("vCPU 1 did not come up");
    u32 sent = 0;
    measure("ipi-round-trip", kIpis, [&] {
        if (sent == kWarmup) { // count the measured pings only
            one_way_ticks = 0;
            one_way_count = 0;
        }
        ++sent;
        ping_sent_at = rdtsc();
        lapic::send_ipi(1, kPing);
        u64 limit = timer::counter() + timer::ms_to_ticks(500);
        while (pongs < sent)
            if (timer::counter() > limit) test::fail("IPI round trip %u timed out", sent);
    });
    report("ipi-one-way", one_way_ticks, one_way_count);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("bench");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    print("bench: in a zone, TSC at %llu kHz\n", static_cast<ull>(timer::frequency() / 1000));
    measure("null-hypercall", kCalls, [] { hc::version(); });
    measure("cpuid-exit", kCalls, [] { cpuid(0x40000000); });
    measure("pio-read", kCalls, [] { inb(0x3fd); });
    lapic::init(false);
    measure("apic-mmio-read", kCalls, [] { lapic::read(lapic::kVersion); });
    lapic::init(true);
    measure("apic-msr-read", kCalls, [] { lapic::read(lapic::kVersion); });
    measure("npf-gp-fault", kFaults, [] { probe::read32(0xfed00000); });
    if (hc::zone_self().vcpus >= 2)
        measure_ipis();
    else
        print("bench: one vCPU, no IPI round trip\n");
    test::finish();
}
