// SPDX-License-Identifier: GPL-2.0-only
// The GICv3 rules a zone's kernel relies on (GICv3 architecture
// specification, IHI 0069: 4.1 interrupt states, 4.8 priority, 12.11
// GICR_ISPENDR0 and friends), through the registers a zone reaches: the
// redistributor's SGI frame and the distributor for SPIs, and the CPU
// interface (ICV_* in a zone). Run with IRQs masked, acknowledging with
// ICC_IAR1 directly, so every step is observable:
// - ISPENDR makes an interrupt pending (reads 1), acknowledge makes it
//   active (ISACTIVER 1, ISPENDR 0), EOI makes it inactive;
// - ICPENDR removes a pending edge interrupt: it is not delivered;
// - a pending interrupt disabled in the GIC is not delivered, and is when
//   enabled again (also when it was pending before the disable);
// - the priority mask (PMR) holds back interrupts of equal or lower
//   priority; a higher-priority interrupt preempts an active one (running
//   priority, ICC_RPR), a lower one does not, and the binary point decides
//   what "higher" means (group priority);
// - with EOImode 1, EOI only drops the priority: the interrupt stays active
//   until ICC_DIR; ICACTIVER deactivates, ISACTIVER activates;
// - SGIs reach exactly the vCPUs named by the target list / IRM;
// - the same for an SPI through the distributor.
// The same image runs on bare QEMU (gic-rules-native) as the reference.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/gic_state.hpp>
#include <guest/irq.hpp>
#include <guest/mmio.hpp>
#include <guest/smp.hpp>
#include <guest/sysreg.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;

namespace {

constexpr u32 kSpi = 40;
constexpr u32 kIdle = 0xff; // ICC_RPR with nothing active

u32 ack() { return gic::acknowledge() & 0xffffff; }
void eoi(u32 intid) { gic::end_of_interrupt(intid); }
void settle() { timer::delay_ms(1); }

void reset(u32 intid) {
    if (intid >= 32) { // group 1 (bare QEMU's distributor starts SPIs in group 0; a zone's reads as 1)
        u64 igroupr = gic::kGicd + 0x80 + 4 * (intid / 32);
        mmio::write32(igroupr, mmio::read32(igroupr) | (1u << (intid % 32)));
    }
    gic::set_bit(gic::kIcpendr, intid);
    gic::set_bit(gic::kIcactiver, intid);
    gic::set_bit(gic::kIsenabler, intid);
    gic::set_priority(intid, 0x80);
}

void states(u32 intid, const char* where) {
    reset(intid);
    gic::set_bit(gic::kIspendr, intid);
    settle();
    test::check(gic::pending(intid), "%u: not pending after ISPENDR (%s)", intid, where);
    test::check(!gic::active(intid), "%u: active before acknowledge (%s)", intid, where);
    test::check(gic::highest_pending() == intid, "%u: HPPIR %u (%s)", intid, gic::highest_pending(), where);
    u32 got = ack();
    test::check(got == intid, "%u: acknowledge returned %u (%s)", intid, got, where);
    if (got != intid) return;
    test::check(gic::active(intid), "%u: not active in ISACTIVER after acknowledge (%s)", intid, where);
    test::check(!gic::pending(intid), "%u: still pending after acknowledge (%s)", intid, where);
    test::check(gic::running_priority() == 0x80, "%u: running priority 0x%x while active (%s)", intid,
                gic::running_priority(), where);
    eoi(intid);
    test::check(!gic::active(intid), "%u: still active after EOI (%s)", intid, where);
    test::check(gic::running_priority() == kIdle, "running priority 0x%x after EOI (%s)", gic::running_priority(),
                where);

    // ICPENDR removes a pending (edge) interrupt.
    gic::set_bit(gic::kIspendr, intid);
    settle();
    gic::set_bit(gic::kIcpendr, intid);
    test::check(!gic::pending(intid), "%u: pending after ICPENDR (%s)", intid, where);
    got = ack();
    test::check(got == gic::kSpurious, "%u: acknowledge returned %u after ICPENDR (%s)", intid, got, where);
    if (got < gic::kSpurious) eoi(got);

    // Disabled while pending: held; enabled: delivered.
    gic::set_bit(gic::kIspendr, intid);
    settle();
    gic::set_bit(gic::kIcenabler, intid);
    settle();
    got = ack();
    test::check(got == gic::kSpurious, "%u: acknowledged (%u) while disabled (%s)", intid, got, where);
    if (got < gic::kSpurious) eoi(got);
    test::check(gic::pending(intid), "%u: pending state lost while disabled (%s)", intid, where);
    gic::set_bit(gic::kIsenabler, intid);
    settle();
    got = ack();
    test::check(got == intid, "%u: acknowledge returned %u after enabling (%s)", intid, got, where);
    if (got < gic::kSpurious) eoi(got);

    // EOImode 1: EOI drops the priority only; DIR deactivates.
    gic::set_eoimode(true);
    gic::set_bit(gic::kIspendr, intid);
    settle();
    got = ack();
    if (got == intid) {
        eoi(intid);
        test::check(gic::running_priority() == kIdle, "%u: EOImode 1: priority not dropped by EOI (%s)", intid, where);
        test::check(gic::active(intid), "%u: EOImode 1: not active after EOI (%s)", intid, where);
        gic::deactivate(intid);
        test::check(!gic::active(intid), "%u: EOImode 1: still active after DIR (%s)", intid, where);
        // ICACTIVER deactivates too.
        gic::set_bit(gic::kIspendr, intid);
        settle();
        got = ack();
        eoi(got);
        gic::set_bit(gic::kIcactiver, intid);
        test::check(!gic::active(intid), "%u: still active after ICACTIVER (%s)", intid, where);
    } else {
        test::check(false, "%u: acknowledge returned %u (EOImode 1, %s)", intid, got, where);
        if (got < gic::kSpurious) eoi(got);
    }
    gic::set_eoimode(false);
    // ISACTIVER activates; ICACTIVER deactivates.
    gic::set_bit(gic::kIsactiver, intid);
    test::check(gic::active(intid), "%u: not active after ISACTIVER (%s)", intid, where);
    gic::set_bit(gic::kIcactiver, intid);
    test::check(!gic::active(intid), "%u: active after ICACTIVER (%s)", intid, where);
    gic::set_bit(gic::kIcenabler, intid);
}

void priorities() {
    constexpr u32 kLow = 7, kHigh = 8; // priorities 0x90 and 0x80
    reset(kLow);
    reset(kHigh);
    gic::set_priority(kLow, 0x90);
    gic::set_priority(kHigh, 0x80);
    // PMR: only priorities strictly higher (lower values) than PMR pass.
    gic::set_pmr(0x80);
    gic::set_bit(gic::kIspendr, kHigh);
    settle();
    u32 got = ack();
    test::check(got == gic::kSpurious, "priority 0x80 acknowledged (%u) with PMR 0x80", got);
    if (got < gic::kSpurious) eoi(got);
    gic::set_pmr(0x88);
    got = ack();
    test::check(got == kHigh, "priority 0x80 with PMR 0x88: acknowledge returned %u", got);
    if (got < gic::kSpurious) eoi(got);
    gic::set_pmr(0xff);

    // Preemption by group priority. For group 1, BPR1 = N makes bits 7:N the
    // group priority: with 3, 0x80 and 0x90 differ.
    gic::set_bpr1(3);
    u32 bpr = gic::bpr1();
    gic::set_bit(gic::kIspendr, kLow);
    settle();
    got = ack();
    test::check(got == kLow, "acknowledge returned %u, expected %u", got, kLow);
    gic::set_bit(gic::kIspendr, kHigh);
    settle();
    u32 nested = ack();
    if (bpr <= 3) {
        test::check(nested == kHigh, "0x80 did not preempt active 0x90 (BPR1 %u): acknowledge returned %u", bpr,
                    nested);
        if (nested == kHigh) {
            test::check(gic::running_priority() == 0x80, "running priority 0x%x with 0x80 active",
                        gic::running_priority());
            eoi(kHigh);
        }
    }
    test::check(gic::running_priority() == 0x90, "running priority 0x%x with 0x90 active", gic::running_priority());
    eoi(kLow);
    if (nested != kHigh) {
        u32 again = ack();
        if (again < gic::kSpurious) eoi(again);
    }
    // A lower priority does not preempt.
    gic::set_bit(gic::kIspendr, kHigh);
    settle();
    got = ack();
    gic::set_bit(gic::kIspendr, kLow);
    settle();
    test::check(ack() == gic::kSpurious, "0x90 preempted active 0x80");
    eoi(got);
    got = ack();
    test::check(got == kLow, "0x90 not delivered after 0x80 ended: %u", got);
    if (got < gic::kSpurious) eoi(got);
    // BPR1 5 (group = bits 7:5): 0x80 and 0x90 are one group, no preemption.
    gic::set_bpr1(5);
    if (gic::bpr1() == 5) {
        gic::set_bit(gic::kIspendr, kLow);
        settle();
        got = ack();
        gic::set_bit(gic::kIspendr, kHigh);
        settle();
        u32 n2 = ack();
        test::check(n2 == gic::kSpurious, "0x80 preempted 0x90 in the same group (BPR1 5): %u", n2);
        if (n2 < gic::kSpurious) eoi(n2);
        eoi(got);
        got = ack();
        if (got < gic::kSpurious) eoi(got);
    }
    gic::set_bpr1(0);
    gic::set_bit(gic::kIcenabler, kLow);
    gic::set_bit(gic::kIcenabler, kHigh);
}

volatile u32 received[2][16];
volatile bool secondary_ready;

void count_sgi(u32 intid) { received[this_vcpu()][intid] = received[this_vcpu()][intid] + 1; }

void secondary(u64) {
    gic::init_cpu();
    for (u32 i = 12; i < 16; ++i) {
        irq::set_handler(i, count_sgi);
        gic::enable_local(i);
    }
    irq_enable();
    secondary_ready = true;
    dmb();
    for (;;) wfi();
}

void sgi_targets() {
    if (smp::start_vcpu(1, secondary, 0) != 0) {
        test::check(false, "could not start vCPU 1");
        return;
    }
    u64 end = timer::counter() + timer::ms_to_ticks(500);
    while (!secondary_ready && timer::counter() < end) cpu_relax();
    for (u32 i = 12; i < 16; ++i) reset(i);
    auto send = [](u64 value) {
        dsb();
        asm volatile("msr icc_sgi1r_el1, %0\n isb" ::"r"(value) : "memory");
        timer::delay_ms(5);
    };
    send((u64(12) << 24) | 2);                  // target list: vCPU 1
    send((u64(13) << 24) | (u64(1) << 40));     // IRM: everyone but me
    send((u64(14) << 24) | 1);                  // target list: me
    send((u64(15) << 24) | (u64(1) << 16) | 3); // Aff1 = 1: no such vCPU
    test::check(received[1][12] == 1, "SGI 12 to vCPU 1: it got %u", received[1][12]);
    test::check(received[1][13] == 1, "SGI 13 to all others: vCPU 1 got %u", received[1][13]);
    test::check(received[1][14] == 0, "SGI 14 to self: vCPU 1 got %u", received[1][14]);
    test::check(received[1][15] == 0, "SGI 15 to Aff1 1: vCPU 1 got %u", received[1][15]);
    u32 got[4] = {};
    for (u32 i = 0; i < 4; ++i) {
        got[i] = ack();
        if (got[i] >= gic::kSpurious) break;
        eoi(got[i]);
    }
    test::check(got[0] == 14 && got[1] == gic::kSpurious, "vCPU 0 acknowledged %u then %u: expected 14 (to self) only",
                got[0], got[1]);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("gic-rules");
    gic::init_distributor();
    gic::init_cpu();
    states(3, "SGI");
    states(20, "PPI");
    gic::route_spi_to(kSpi, 0);
    states(kSpi, "SPI");
    priorities();
    sgi_targets();
    test::finish();
}
