// SPDX-License-Identifier: GPL-2.0-only
// Round-trip costs on x86, measured with RDTSC and averaged: a null
// hypercall (BH_HC_VERSION), a CPUID the hypervisor answers, a read of the
// zone's 16550 line status (a port I/O exit) and an illegal access turned
// into #GP (a nested page fault, the fault policy and an injected
// exception). Prints numbers only, never judges them.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/probe.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u32 kCalls = 2000;
constexpr u32 kFaults = 200;
constexpr u32 kWarmup = 20;

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

} // namespace

extern "C" void zone_main(u64) {
    test::begin("bench");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    print("bench: in a zone, TSC at %llu kHz\n", static_cast<ull>(timer::frequency() / 1000));
    measure("null-hypercall", kCalls, [] { hc::version(); });
    measure("cpuid-exit", kCalls, [] { cpuid(0x40000000); });
    measure("pio-read", kCalls, [] { inb(0x3fd); });
    measure("npf-gp-fault", kFaults, [] { probe::read32(0xfee00000); });
    test::success();
}
