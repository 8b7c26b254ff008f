// SPDX-License-Identifier: GPL-2.0-only
// A two-vCPU zone: PSCI CPU_ON / AFFINITY_INFO and their errors, SGIs in
// both directions, and the rate of the virtual timer interrupt. Also runs on
// bare QEMU virt with -smp 2 (the hypervisor-only checks are skipped there).
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/hypercall.hpp>
#include <guest/irq.hpp>
#include <guest/psci.hpp>
#include <guest/smp.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/timer_rate.hpp>
#include <guest/zone.hpp>

extern "C" char _start[];

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u32 kSgiPing = 1; // vCPU 0 -> vCPU 1
constexpr u32 kSgiPong = 2; // vCPU 1 -> vCPU 0
constexpr u32 kRoundTrips = 100;
constexpr u64 kContext = 0xc0ffee0001;
constexpr u64 kTimerHz = 1000;
constexpr u64 kTimerMs = 200;

volatile u32 pings;
volatile u32 pongs;
volatile u32 secondary_up;
volatile u64 secondary_self_vcpu = ~0ull;

bool wait_for(volatile u32& v, u32 value, u64 ms) {
    u64 end = timer::counter() + timer::ms_to_ticks(ms);
    while (v < value)
        if (timer::counter() >= end) return false;
    return true;
}

void secondary(u64) {
    if (hc::in_zone()) secondary_self_vcpu = hc::zone_self().vcpu;
    gic::init_cpu();
    irq::set_handler(kSgiPing, [](u32) {
        pings = pings + 1;
        gic::send_sgi(kSgiPong, 0);
    });
    gic::enable_local(kSgiPing);
    irq_enable();
    dsb();
    secondary_up = 1;
    for (;;) wfi();
}

void check_cpu_on() {
    BH_EXPECT_EQ(psci::affinity_info(1), psci::kAffinityOff);
    BH_EXPECT_EQ(smp::start_vcpu(1, secondary, 0, kContext), psci::kSuccess);
    if (!test::check(wait_for(secondary_up, 1, 2000), "vCPU 1 did not come up within 2 s")) test::finish();
    BH_EXPECT_EQ(psci::affinity_info(1), psci::kAffinityOn);
    BH_EXPECT_EQ(smp::entry_context(1), kContext);
    if (hc::in_zone()) BH_EXPECT_EQ(secondary_self_vcpu, 1ull);
    print("vCPU 1 is on\n");
}

void check_sgis() {
    for (u32 i = 0; i < kRoundTrips; ++i) {
        gic::send_sgi(kSgiPing, 1);
        if (!test::check(wait_for(pongs, i + 1, 500), "round trip %u: no SGI back within 500 ms", i)) break;
    }
    BH_EXPECT_EQ(pings, kRoundTrips);
    BH_EXPECT_EQ(pongs, kRoundTrips);
    print("%u SGI round trips between vCPU 0 and vCPU 1\n", pongs);
}

void check_psci_errors() {
    u64 entry = reinterpret_cast<uptr>(_start);
    BH_EXPECT_EQ(psci::cpu_on(1, entry, 0), psci::kAlreadyOn);
    BH_EXPECT_EQ(psci::cpu_on(5, entry, 0), psci::kInvalidParameters);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("smp");
    if (hc::in_zone()) {
        hc::ZoneSelf self = hc::zone_self();
        if (self.vcpus != 2)
            test::error("the manifest must give this zone 2 vCPUs, not %llu", static_cast<ull>(self.vcpus));
    }
    gic::init_distributor();
    gic::init_cpu();
    irq::set_handler(kSgiPong, [](u32) { pongs = pongs + 1; });
    gic::enable_local(kSgiPong);
    irq_enable();

    check_cpu_on();
    check_sgis();
    test::check_timer_rate(kTimerHz, kTimerMs);
    check_psci_errors();
    BH_EXPECT_EQ(irq::unhandled_count(), 0ull);
    test::finish();
}
