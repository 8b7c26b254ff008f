// SPDX-License-Identifier: GPL-2.0-only
// The zones' virtual local APIC as a pure model: modes and APIC_BASE
// transitions, registers in both interfaces, IPI decoding and destination
// matching, interrupt priority (TPR, ISR, EOI), the timer in its three
// modes, and error reporting. Time is a plain number here.
#include <catch2/catch.hpp>

#include <arch/vlapic.hpp>

using namespace bh;
using namespace bh::x86_64;

namespace {

using Mode = IpiRequest::Mode;
using Shorthand = IpiRequest::Shorthand;
using Access = VirtualLapic::Access;

constexpr u64 kXapic = kLapicMmioBase | kApicBaseEnable;
constexpr u64 kX2apic = kXapic | kApicBaseExtd;

u64 rd(const VirtualLapic& l, u32 off, u64 now = 0) {
    u64 v = ~u64(0);
    REQUIRE(l.read(off, now, v) == Access::ok);
    return v;
}

IpiRequest wr(VirtualLapic& l, u32 off, u64 value, u64 now = 0) {
    IpiRequest ipi;
    REQUIRE(l.write(off, value, now, ipi) == Access::ok);
    return ipi;
}

VirtualLapic enabled(u32 id, bool x2) {
    VirtualLapic l;
    l.reset(id, id == 0);
    if (x2) REQUIRE(l.write_apic_base(kX2apic | (id == 0 ? kApicBaseBsp : 0)));
    wr(l, kLapicSvr, 0x1ff);
    return l;
}

} // namespace

TEST_CASE("vlapic: power-up state", "[x86][vlapic]") {
    VirtualLapic bsp, ap;
    bsp.reset(0, true);
    ap.reset(3, false);
    CHECK(bsp.apic_base() == (kXapic | kApicBaseBsp));
    CHECK(ap.apic_base() == kXapic);
    CHECK(bsp.mmio_active());
    CHECK_FALSE(bsp.x2apic());
    CHECK_FALSE(bsp.software_enabled()); // SVR = 0xff
    CHECK(rd(ap, kLapicId) == 3u << 24);
    CHECK(rd(ap, kLapicVersion) == 0x00050014);
    CHECK(rd(ap, kLapicDfr) == 0xffffffff);
    CHECK(rd(ap, kLapicLvtTimer) == 1u << 16); // masked
    CHECK(rd(ap, kLapicLvtLint0) == 1u << 16);
    CHECK(ap.deliverable() == -1);
    CHECK(ap.timer_deadline() == 0);
}

TEST_CASE("vlapic: APIC_BASE transitions", "[x86][vlapic]") {
    VirtualLapic l;
    l.reset(1, false);
    CHECK_FALSE(l.write_apic_base(0xfed00000 | kApicBaseEnable));   // relocation
    CHECK_FALSE(l.write_apic_base(kXapic | (1u << 9)));             // reserved bit
    CHECK_FALSE(l.write_apic_base(kLapicMmioBase | kApicBaseExtd)); // EXTD without EN
    CHECK(l.write_apic_base(kX2apic));                              // xAPIC -> x2APIC
    CHECK(l.x2apic());
    CHECK_FALSE(l.mmio_active());
    CHECK_FALSE(l.write_apic_base(kXapic));   // x2APIC -> xAPIC directly
    CHECK(l.write_apic_base(kLapicMmioBase)); // -> disabled
    CHECK_FALSE(l.globally_enabled());
    CHECK_FALSE(l.mmio_active());
    CHECK(l.write_apic_base(kXapic)); // disabled -> xAPIC
    CHECK(l.mmio_active());
    CHECK(l.write_apic_base(kLapicMmioBase));
    CHECK(l.write_apic_base(kX2apic)); // disabled -> x2APIC, as KVM allows
    CHECK(l.apic_base() == kX2apic);   // BSP stays as it was (clear)
}

TEST_CASE("vlapic: global disable resets the registers", "[x86][vlapic]") {
    VirtualLapic l = enabled(2, false);
    wr(l, kLapicTpr, 0x40);
    wr(l, kLapicLvtTimer, 0x30);
    l.accept(0x80);
    REQUIRE(l.write_apic_base(kLapicMmioBase));
    REQUIRE(l.write_apic_base(kXapic));
    CHECK(rd(l, kLapicTpr) == 0);
    CHECK(rd(l, kLapicLvtTimer) == 1u << 16);
    CHECK_FALSE(l.has_request());
    CHECK(rd(l, kLapicId) == 2u << 24);
}

TEST_CASE("vlapic: x2APIC register rules", "[x86][vlapic]") {
    VirtualLapic l = enabled(0x25, true);
    CHECK(rd(l, kLapicId) == 0x25);
    CHECK(rd(l, kLapicLdr) == ((2u << 16) | (1u << 5))); // cluster 2, bit 5
    u64 v = 0;
    IpiRequest ipi;
    CHECK(l.read(kLapicDfr, 0, v) == Access::invalid);
    CHECK(l.read(kLapicIcrHigh, 0, v) == Access::invalid);
    CHECK(l.read(kLapicEoi, 0, v) == Access::invalid);
    CHECK(l.read(kLapicSelfIpi, 0, v) == Access::invalid);
    CHECK(l.read(0x40, 0, v) == Access::invalid); // reserved
    CHECK(l.read(kLapicTpr + 4, 0, v) == Access::invalid);
    CHECK(l.write(kLapicId, 7, 0, ipi) == Access::invalid);
    CHECK(l.write(kLapicLdr, 7, 0, ipi) == Access::invalid);
    CHECK(l.write(kLapicEoi, 1, 0, ipi) == Access::invalid); // EOI takes only 0
    CHECK(l.write(kLapicEsr, 1, 0, ipi) == Access::invalid);
    CHECK(l.write(kLapicTimerCurrent, 1, 0, ipi) == Access::invalid);
    CHECK(l.write(kLapicVersion, 1, 0, ipi) == Access::invalid);
    CHECK(rd(l, kLapicId) == 0x25); // unchanged
}

TEST_CASE("vlapic: xAPIC drops what x2APIC refuses", "[x86][vlapic]") {
    VirtualLapic l = enabled(1, false);
    wr(l, kLapicId, 0x7u << 24);
    CHECK(rd(l, kLapicId) == 1u << 24); // the ID stays the vCPU index
    wr(l, kLapicLdr, 0x12345678);
    CHECK(rd(l, kLapicLdr) == 0x12000000);
    wr(l, kLapicDfr, 0);
    CHECK(rd(l, kLapicDfr) == 0x0fffffff);
    CHECK(rd(l, kLapicEoi) == 0);
    u64 v = 1;
    CHECK(l.read(kLapicSelfIpi, 0, v) == Access::invalid); // no such register in xAPIC mode
}

TEST_CASE("vlapic: ICR decoding", "[x86][vlapic]") {
    SECTION("x2APIC: one 64-bit write") {
        VirtualLapic l = enabled(0, true);
        IpiRequest ipi = wr(l, kLapicIcrLow, (u64(0x1234) << 32) | (1u << 11) | (1u << 8) | 0x41);
        CHECK(ipi.mode == Mode::lowest_priority);
        CHECK(ipi.logical);
        CHECK(ipi.vector == 0x41);
        CHECK(ipi.destination == 0x1234);
        CHECK(ipi.shorthand == Shorthand::none);
        CHECK(rd(l, kLapicIcrLow) == ((u64(0x1234) << 32) | (1u << 11) | (1u << 8) | 0x41));
    }
    SECTION("xAPIC: the high half, then the low write sends") {
        VirtualLapic l = enabled(0, false);
        IpiRequest none = wr(l, kLapicIcrHigh, 0x03ffffffu);
        CHECK(none.mode == Mode::none);
        CHECK(rd(l, kLapicIcrHigh) == 0x03000000u);
        IpiRequest ipi = wr(l, kLapicIcrLow, (2u << 18) | 0x30);
        CHECK(ipi.mode == Mode::fixed);
        CHECK(ipi.shorthand == Shorthand::all_including_self);
        CHECK(ipi.destination == 3);
        CHECK((rd(l, kLapicIcrLow) & (1u << 12)) == 0); // delivery status: idle
    }
    SECTION("modes") {
        VirtualLapic l = enabled(0, true);
        CHECK(wr(l, kLapicIcrLow, (4u << 8)).mode == Mode::nmi);
        CHECK(wr(l, kLapicIcrLow, (5u << 8) | (1u << 14)).mode == Mode::init);
        CHECK(wr(l, kLapicIcrLow, (5u << 8) | (1u << 15)).mode == Mode::none); // INIT level de-assert
        CHECK(wr(l, kLapicIcrLow, (6u << 8) | 0x10).mode == Mode::startup);
        CHECK(wr(l, kLapicIcrLow, (2u << 8)).mode == Mode::smi);
        CHECK(wr(l, kLapicIcrLow, (3u << 8)).mode == Mode::reserved);
        CHECK(wr(l, kLapicIcrLow, (3u << 18) | 0x20).shorthand == Shorthand::all_excluding_self);
        CHECK(wr(l, kLapicIcrLow, (1u << 18) | 0x20).shorthand == Shorthand::self);
    }
    SECTION("a fixed IPI with an illegal vector is not sent and sets ESR") {
        VirtualLapic l = enabled(0, true);
        CHECK(wr(l, kLapicIcrLow, 0x05).mode == Mode::none);
        wr(l, kLapicEsr, 0);
        CHECK(rd(l, kLapicEsr) == 1u << 5);
        wr(l, kLapicEsr, 0);
        CHECK(rd(l, kLapicEsr) == 0);
    }
}

TEST_CASE("vlapic: destinations", "[x86][vlapic]") {
    SECTION("x2APIC physical and cluster") {
        VirtualLapic l = enabled(0x13, true);
        CHECK(l.accepts_destination(false, 0x13));
        CHECK_FALSE(l.accepts_destination(false, 0x12));
        CHECK(l.accepts_destination(false, 0xffffffff));
        CHECK(l.accepts_destination(true, (1u << 16) | (1u << 3)));
        CHECK_FALSE(l.accepts_destination(true, (1u << 16) | (1u << 2)));
        CHECK_FALSE(l.accepts_destination(true, (0u << 16) | (1u << 3)));
        CHECK(l.accepts_destination(true, 0xffffffff));
    }
    SECTION("xAPIC physical, flat and cluster") {
        VirtualLapic l = enabled(2, false);
        CHECK(l.accepts_destination(false, 2));
        CHECK(l.accepts_destination(false, 0xff));
        CHECK_FALSE(l.accepts_destination(false, 3));
        wr(l, kLapicLdr, 0x04u << 24);
        CHECK(l.accepts_destination(true, 0x06));
        CHECK_FALSE(l.accepts_destination(true, 0x03));
        wr(l, kLapicDfr, 0x0fffffff);  // cluster model
        wr(l, kLapicLdr, 0x32u << 24); // cluster 3, member bit 1
        CHECK(l.accepts_destination(true, 0x32));
        CHECK(l.accepts_destination(true, 0x3f));
        CHECK_FALSE(l.accepts_destination(true, 0x22));
        CHECK_FALSE(l.accepts_destination(true, 0x31));
    }
}

TEST_CASE("vlapic: priority, acknowledge and EOI", "[x86][vlapic]") {
    VirtualLapic l = enabled(0, true);
    CHECK(l.deliverable() == -1);
    l.accept(0x31);
    l.accept(0x82);
    CHECK(l.has_request());
    CHECK(rd(l, kLapicIrr + 0x40) == 1u << 2);
    CHECK(l.deliverable() == 0x82);
    l.acknowledge(0x82);
    CHECK(rd(l, kLapicIsr + 0x40) == 1u << 2);
    CHECK(rd(l, kLapicPpr) == 0x80);
    CHECK(l.deliverable() == -1); // 0x31 is below the in-service class
    l.accept(0x85);
    CHECK(l.deliverable() == -1); // same class as in service
    l.accept(0x95);
    CHECK(l.deliverable() == 0x95); // a higher class nests
    l.acknowledge(0x95);
    wr(l, kLapicEoi, 0); // ends 0x95, the highest in service
    CHECK(rd(l, kLapicIsr + 0x40) == 1u << 2);
    wr(l, kLapicEoi, 0);
    CHECK(rd(l, kLapicIsr + 0x40) == 0);
    CHECK(l.deliverable() == 0x85);
    l.acknowledge(0x85);
    wr(l, kLapicEoi, 0);
    wr(l, kLapicTpr, 0x40);
    CHECK(rd(l, kLapicPpr) == 0x40);
    CHECK(l.deliverable() == -1); // 0x31 held back by TPR
    wr(l, kLapicTpr, 0x20);
    CHECK(l.deliverable() == 0x31);
}

TEST_CASE("vlapic: CR8 is TPR[7:4] both ways", "[x86][vlapic]") {
    VirtualLapic l = enabled(0, true);
    CHECK(l.cr8() == 0);
    l.write_cr8(15);
    CHECK(rd(l, kLapicTpr) == 0xf0);
    CHECK(rd(l, kLapicPpr) == 0xf0);
    wr(l, kLapicTpr, 0x5f);
    CHECK(l.cr8() == 5);
    l.write_cr8(9); // clears TPR[3:0]
    CHECK(rd(l, kLapicTpr) == 0x90);
    l.write_cr8(0x1f); // only bits 3:0 count (the caller refuses the others)
    CHECK(l.cr8() == 0xf);
}

TEST_CASE("vlapic: an interrupt held back by TPR alone", "[x86][vlapic]") {
    VirtualLapic l = enabled(0, true);
    CHECK_FALSE(l.held_by_tpr()); // nothing requested
    l.write_cr8(15);
    l.accept(0x61);
    CHECK(l.deliverable() == -1);
    CHECK(l.held_by_tpr());
    l.write_cr8(6); // same class: still held
    CHECK(l.held_by_tpr());
    l.write_cr8(5);
    CHECK_FALSE(l.held_by_tpr());
    CHECK(l.deliverable() == 0x61);
    // Held back by the in-service class, not by TPR: lowering TPR would not help.
    l.acknowledge(0x61);
    l.accept(0x62);
    l.write_cr8(0);
    CHECK(l.deliverable() == -1);
    CHECK_FALSE(l.held_by_tpr());
    l.write_cr8(7);
    CHECK_FALSE(l.held_by_tpr());
    wr(l, kLapicEoi, 0);
    CHECK(l.held_by_tpr()); // 0x62 now waits for TPR only
    wr(l, kLapicSvr, 0xff); // software disabled: nothing is held by TPR
    CHECK_FALSE(l.held_by_tpr());
}

TEST_CASE("vlapic: software disable holds interrupts and masks the LVT", "[x86][vlapic]") {
    VirtualLapic l = enabled(0, true);
    wr(l, kLapicLvtTimer, 0x40);
    wr(l, kLapicSvr, 0xff); // software disable
    CHECK(rd(l, kLapicLvtTimer) == ((1u << 16) | 0x40));
    wr(l, kLapicLvtLint0, 0x700); // unmasking is not possible while disabled
    CHECK(rd(l, kLapicLvtLint0) & (1u << 16));
    l.accept(0x40);
    CHECK(l.deliverable() == -1);
    wr(l, kLapicSvr, 0x1ff);
    CHECK(l.deliverable() == 0x40);
}

TEST_CASE("vlapic: illegal vectors are reported, not delivered", "[x86][vlapic]") {
    VirtualLapic l = enabled(0, true);
    l.accept(3);
    CHECK_FALSE(l.has_request());
    wr(l, kLapicEsr, 0);
    CHECK(rd(l, kLapicEsr) == 1u << 6);
}

TEST_CASE("vlapic: one-shot timer", "[x86][vlapic]") {
    VirtualLapic l = enabled(0, true);
    wr(l, kLapicTimerDivide, 0x1); // divide by 4
    wr(l, kLapicLvtTimer, 0x40);
    wr(l, kLapicTimerInitial, 1000, 5000);
    CHECK(l.timer_deadline() == 5000 + 4000);
    CHECK(rd(l, kLapicTimerCurrent, 5000) == 1000);
    CHECK(rd(l, kLapicTimerCurrent, 7000) == 500);
    CHECK_FALSE(l.timer_check(8999));
    CHECK(l.timer_check(9000));
    CHECK(l.deliverable() == 0x40);
    CHECK(l.timer_deadline() == 0);
    CHECK(rd(l, kLapicTimerCurrent, 9500) == 0);
    CHECK_FALSE(l.timer_check(20000)); // fires once
    wr(l, kLapicTimerInitial, 0, 20000);
    CHECK(l.timer_deadline() == 0);
}

TEST_CASE("vlapic: periodic timer keeps its phase", "[x86][vlapic]") {
    VirtualLapic l = enabled(0, true);
    wr(l, kLapicTimerDivide, 0xb); // divide by 1
    wr(l, kLapicLvtTimer, (1u << 17) | 0x41);
    wr(l, kLapicTimerInitial, 100, 1000);
    CHECK(l.timer_deadline() == 1100);
    CHECK(l.timer_check(1130)); // late: the next period still ends at 1200
    CHECK(l.timer_deadline() == 1200);
    CHECK(rd(l, kLapicTimerCurrent, 1150) == 50);
    l.acknowledge(0x41);
    wr(l, kLapicEoi, 0);
    CHECK(l.timer_check(1555)); // three periods missed: one interrupt, next at 1600
    CHECK(l.timer_deadline() == 1600);
    CHECK(l.deliverable() == 0x41);
}

TEST_CASE("vlapic: a masked timer wakes nobody", "[x86][vlapic]") {
    VirtualLapic l = enabled(0, true);
    wr(l, kLapicLvtTimer, (1u << 16) | (1u << 17) | 0x41);
    wr(l, kLapicTimerInitial, 100, 0);
    CHECK(l.timer_deadline() == 0);
    CHECK(rd(l, kLapicTimerCurrent, 50) != 0); // it still counts
    CHECK(l.timer_check(250));                 // divide by 2 (the power-up divide configuration)
    CHECK_FALSE(l.has_request());
}

TEST_CASE("vlapic: TSC-deadline mode", "[x86][vlapic]") {
    VirtualLapic l = enabled(0, true);
    l.write_tsc_deadline(5000, 0); // not in TSC-deadline mode: ignored
    CHECK(l.tsc_deadline() == 0);
    wr(l, kLapicLvtTimer, (2u << 17) | 0x42);
    wr(l, kLapicTimerInitial, 100, 0); // ignored in this mode
    CHECK(l.timer_deadline() == 0);
    l.write_tsc_deadline(5000, 1000);
    CHECK(l.tsc_deadline() == 5000);
    CHECK(l.timer_deadline() == 5000);
    CHECK_FALSE(l.timer_check(4999));
    CHECK(l.timer_check(5000));
    CHECK(l.tsc_deadline() == 0);
    CHECK(l.deliverable() == 0x42);
    l.write_tsc_deadline(100, 6000); // already past: fires at once
    CHECK(l.tsc_deadline() == 0);
    l.write_tsc_deadline(9000, 6000);
    wr(l, kLapicLvtTimer, 0x42, 6000); // leaving the mode disarms
    CHECK(l.timer_deadline() == 0);
    CHECK(l.tsc_deadline() == 0);
}

TEST_CASE("vlapic: self IPI register", "[x86][vlapic]") {
    VirtualLapic l = enabled(0, true);
    wr(l, kLapicSelfIpi, 0x66);
    CHECK(l.deliverable() == 0x66);
    VirtualLapic x = enabled(0, false);
    IpiRequest ipi;
    CHECK(x.write(kLapicSelfIpi, 0x66, 0, ipi) == Access::invalid);
}

TEST_CASE("vlapic: the request summary follows the IRR", "[x86][vlapic]") {
    VirtualLapic l = enabled(0, true);
    l.accept(0x40);
    l.accept(0x41); // same IRR word
    l.accept(0xe0);
    l.acknowledge(0xe0);
    CHECK(l.has_request());
    l.acknowledge(0x41);
    CHECK(l.has_request());       // 0x40 is still requested in that word
    CHECK(l.deliverable() == -1); // 0xe0 and 0x41 (the same class as 0x40) in service
    wr(l, kLapicEoi, 0);          // ends 0xe0
    wr(l, kLapicEoi, 0);          // ends 0x41
    CHECK(l.deliverable() == 0x40);
    l.acknowledge(0x40);
    CHECK_FALSE(l.has_request());
    CHECK(l.deliverable() == -1);
}

TEST_CASE("vlapic: periodic timers get the minimum period", "[x86][vlapic]") {
    VirtualLapic l;
    l.reset(0, true, 1000);
    REQUIRE(l.write_apic_base(kX2apic | kApicBaseBsp));
    wr(l, kLapicSvr, 0x1ff);
    wr(l, kLapicTimerDivide, 0xb);
    wr(l, kLapicLvtTimer, (1u << 17) | 0x41);
    wr(l, kLapicTimerInitial, 1, 0); // one tick asked for
    CHECK(l.timer_deadline() == 1000);
    CHECK(l.timer_check(1000));
    CHECK(l.timer_deadline() == 2000);
    wr(l, kLapicLvtTimer, 0x41, 2500); // one-shot: no minimum
    wr(l, kLapicTimerInitial, 1, 3000);
    CHECK(l.timer_deadline() == 3001);
    REQUIRE(l.write_apic_base(kLapicMmioBase)); // a global disable keeps the minimum
    REQUIRE(l.write_apic_base(kX2apic));
    wr(l, kLapicSvr, 0x1ff);
    wr(l, kLapicTimerDivide, 0xb);
    wr(l, kLapicLvtTimer, (1u << 17) | 0x41);
    wr(l, kLapicTimerInitial, 5, 0);
    CHECK(l.timer_deadline() == 1000);
}
