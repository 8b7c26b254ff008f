// SPDX-License-Identifier: GPL-2.0-only
// A two-vCPU x86 zone: BH_HC_VCPU_ON and its errors, the local APIC in
// x2APIC mode (IDs, APIC_BASE, priorities), fixed IPIs in both directions
// waking a halted vCPU, broadcast and self IPIs, the periodic timer's rate
// and a TSC-deadline one-shot.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/irq.hpp>
#include <guest/lapic.hpp>
#include <guest/smp.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/timer_rate.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u8 kPing = 0x50;      // vCPU 0 -> vCPU 1
constexpr u8 kPong = 0x51;      // vCPU 1 -> vCPU 0
constexpr u8 kBroadcast = 0x52; // vCPU 0 -> all but itself
constexpr u8 kSelf = 0x53;
constexpr u8 kDeadline = 0x54;
constexpr u32 kRoundTrips = 100;
constexpr u64 kTimerHz = 1000;
constexpr u64 kTimerMs = 200;

volatile u32 pings, pongs, broadcasts, selfs, deadlines;
volatile u32 secondary_up;
volatile u64 secondary_arg, secondary_apic_id, secondary_base;

bool wait_for(volatile u32& v, u32 value, u64 ms) {
    u64 end = timer::counter() + timer::ms_to_ticks(ms);
    while (v < value)
        if (timer::counter() >= end) return false;
    return true;
}

void secondary(u64 arg) {
    secondary_arg = arg;
    lapic::init(true);
    secondary_apic_id = lapic::read(lapic::kId);
    secondary_base = rdmsr(lapic::kMsrApicBase);
    irq::set_handler(kPing, [](u32) {
        pings = pings + 1;
        lapic::send_ipi(0, kPong);
    });
    irq::set_handler(kBroadcast, [](u32) { broadcasts = broadcasts + 1; });
    irq_enable();
    dmb();
    secondary_up = 1;
    for (;;) asm volatile("hlt"); // each ping wakes it
}

void check_apic() {
    u64 base = rdmsr(lapic::kMsrApicBase);
    BH_EXPECT_EQ(base & ~u64(0xfff), lapic::kMmioBase);
    test::check(base & lapic::kBaseBsp, "APIC_BASE 0x%llx: vCPU 0 is not the BSP", static_cast<ull>(base));
    test::check(base & lapic::kBaseExtd, "APIC_BASE 0x%llx: not in x2APIC mode", static_cast<ull>(base));
    BH_EXPECT_EQ(lapic::read(lapic::kId), 0ull);
    BH_EXPECT_EQ(lapic::read(lapic::kVersion) & 0xff, 0x14ull);
    BH_EXPECT_EQ(lapic::read(lapic::kLdr), 1ull); // cluster 0, bit 0
    test::check((cpuid(1).ecx >> 21) & 1, "CPUID does not report x2APIC");
    test::check((cpuid(1).edx >> 9) & 1, "CPUID does not report an APIC");
    test::check(lapic::timer_frequency() != 0, "CPUID 0x40000010 EBX reports no APIC timer rate");
}

void check_vcpu_on() {
    u64 entry = smp::secondary_entry();
    BH_EXPECT_EQ(hc::vcpu_on(2, entry, 0), static_cast<i64>(BH_ERR_INVALID_ARGUMENT));     // no such vCPU
    BH_EXPECT_EQ(hc::vcpu_on(1, 0x200000, 0), static_cast<i64>(BH_ERR_INVALID_ARGUMENT));  // not the zone's RAM
    BH_EXPECT_EQ(hc::vcpu_on(1, entry + 1, 0), static_cast<i64>(BH_ERR_INVALID_ARGUMENT)); // misaligned
    BH_EXPECT_EQ(hc::vcpu_on(0, entry, 0), static_cast<i64>(BH_ERR_BUSY));                 // the caller itself
    BH_EXPECT_EQ(smp::start_vcpu(1, secondary, 0x5ec0dd), static_cast<i64>(BH_OK));
    if (!test::check(wait_for(secondary_up, 1, 2000), "vCPU 1 did not come up within 2 s")) test::finish();
    BH_EXPECT_EQ(smp::start_vcpu(1, secondary, 0), static_cast<i64>(BH_ERR_BUSY));
    BH_EXPECT_EQ(secondary_arg, 0x5ec0ddull);
    BH_EXPECT_EQ(secondary_apic_id, 1ull);
    test::check(!(secondary_base & lapic::kBaseBsp), "vCPU 1's APIC_BASE 0x%llx claims the BSP",
                static_cast<ull>(secondary_base));
    BH_EXPECT_EQ(hc::zone_self().vcpu, 0ull);
    print("vCPU 1 is on\n");
}

void check_ipis() {
    for (u32 i = 0; i < kRoundTrips; ++i) {
        lapic::send_ipi(1, kPing);
        if (!test::check(wait_for(pongs, i + 1, 500), "round trip %u: no IPI back within 500 ms", i)) break;
    }
    BH_EXPECT_EQ(pings, kRoundTrips);
    BH_EXPECT_EQ(pongs, kRoundTrips);
    print("%u IPI round trips between vCPU 0 and vCPU 1\n", pongs);

    // All excluding self (ICR shorthand 3): vCPU 1 only.
    lapic::write(lapic::kIcr, (3u << 18) | kBroadcast);
    test::check(wait_for(broadcasts, 1, 500), "the broadcast IPI did not reach vCPU 1");
    // Self IPI through the x2APIC SELF IPI register: taken at once.
    lapic::write(lapic::kSelfIpi, kSelf);
    test::check(wait_for(selfs, 1, 100), "the self IPI was not taken");
    timer::delay_ms(5);
    BH_EXPECT_EQ(broadcasts, 1u);
    BH_EXPECT_EQ(selfs, 1u);
    print("broadcast and self IPIs delivered once each\n");
}

// With TPR above a vector's priority class the interrupt waits in the IRR
// until TPR drops again.
void check_priority() {
    lapic::write(lapic::kTpr, 0x60);
    lapic::write(lapic::kSelfIpi, kSelf); // class 5 < TPR class 6
    timer::delay_ms(2);
    BH_EXPECT_EQ(selfs, 1u);
    test::check(lapic::read(static_cast<lapic::Reg>(lapic::kIrr + 0x20)) & (1u << (kSelf - 64)),
                "the masked vector is not pending in the IRR");
    lapic::write(lapic::kTpr, 0);
    test::check(wait_for(selfs, 2, 100), "lowering TPR did not deliver the pending interrupt");
    print("TPR held back a pending interrupt until it was lowered\n");
}

void check_tsc_deadline() {
    test::check((cpuid(1).ecx >> 24) & 1, "CPUID does not report TSC-deadline mode");
    lapic::write(lapic::kLvtTimer, (2u << 17) | kDeadline);
    u64 due = timer::counter() + timer::ms_to_ticks(3);
    wrmsr(lapic::kMsrTscDeadline, due);
    BH_EXPECT_EQ(rdmsr(lapic::kMsrTscDeadline), due);
    while (!deadlines && timer::counter() < due + timer::ms_to_ticks(500)) asm volatile("hlt");
    u64 at = timer::counter();
    test::check(deadlines == 1, "the TSC-deadline interrupt did not come");
    test::check(at >= due, "the TSC-deadline interrupt came %llu ticks early", static_cast<ull>(due - at));
    BH_EXPECT_EQ(rdmsr(lapic::kMsrTscDeadline), 0ull); // disarmed once it fired
    lapic::write(lapic::kLvtTimer, 1u << 16);
    print("TSC-deadline interrupt after %llu us\n",
          static_cast<ull>(timer::ticks_to_ns(at - due + timer::ms_to_ticks(3)) / 1000));
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("smp");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    hc::ZoneSelf self = hc::zone_self();
    if (self.vcpus != 2)
        test::error("the manifest must give this zone 2 vCPUs, not %llu", static_cast<ull>(self.vcpus));
    lapic::init(true);
    irq::set_handler(kPong, [](u32) { pongs = pongs + 1; });
    irq::set_handler(kSelf, [](u32) { selfs = selfs + 1; });
    irq::set_handler(kDeadline, [](u32) { deadlines = deadlines + 1; });
    irq_enable();

    check_apic();
    check_vcpu_on();
    check_ipis();
    check_priority();
    test::check_timer_rate(kTimerHz, kTimerMs);
    check_tsc_deadline();
    BH_EXPECT_EQ(irq::unhandled_count(), 0ull);
    test::finish();
}
