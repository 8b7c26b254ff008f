// SPDX-License-Identifier: GPL-2.0-only
// A zone's PL031 RTC: every register, the host's wall clock as its start,
// clocks of different zones independent, the match interrupt on time.
#include <bulkhead/pl031.hpp>
#include <bulkhead/wall_clock.hpp>

#include "fake_machine.hpp"

using namespace bh;
using bh::test::FakeMachine;

namespace {

constexpr u64 kSecond = arch::kFakeTicksPerSecond;
constexpr u64 kHostTime = 1700000000; // 2023-11-14, what the host's RTC said at boot

enum : u64 { kDr = 0x00, kMr = 0x04, kLr = 0x08, kCr = 0x0c, kImsc = 0x10, kRis = 0x14, kMis = 0x18, kIcr = 0x1c };

u64 rd(Zone& z, u64 reg) {
    DeviceAccess a;
    REQUIRE(z.devices.dispatch(z.vcpus[0], AddressSpace::mmio, Pl031::kBase.raw() + reg, a));
    return a.value;
}

void wr(Zone& z, u64 reg, u64 value) {
    DeviceAccess a;
    a.write = true;
    a.value = value;
    REQUIRE(z.devices.dispatch(z.vcpus[0], AddressSpace::mmio, Pl031::kBase.raw() + reg, a));
}

bool line_raised(Zone& z) { return z.vcpus[0].ctx.pending.load() & (u64(1) << Pl031::kInterruptLine); }
void clear_line(Zone& z) { z.vcpus[0].ctx.pending.store(0); }

// The host's RTC read kHostTime at the current counter time, as boot does.
void host_rtc_says(u64 seconds) { wall_clock::set(seconds, arch::now()); }

} // namespace

TEST_CASE("pl031: registered where QEMU virt has it, with the PrimeCell IDs", "[devices][rtc]") {
    FakeMachine m;
    Zone* z = m.create("rtc");
    const DeviceRange* r = z->devices.find(AddressSpace::mmio, 0x09010000);
    REQUIRE(r);
    CHECK(r->base == 0x09010000);
    CHECK(r->size == 0x1000);
    const u8 ids[8] = {0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    for (unsigned i = 0; i < 8; ++i) CHECK(rd(*z, 0xfe0 + 4 * i) == ids[i]);
    CHECK(rd(*z, 0x020) == 0); // unknown registers read as zero
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("pl031: RTCDR starts at the host's wall clock and counts seconds", "[devices][rtc]") {
    FakeMachine m;
    host_rtc_says(kHostTime);
    Zone* z = m.create("rtc");
    // The reading is taken as the middle of its second: half a second on,
    // the next second begins.
    CHECK(rd(*z, kDr) == kHostTime);
    arch::fake_advance(kSecond / 2 - 1);
    CHECK(rd(*z, kDr) == kHostTime);
    arch::fake_advance(1);
    CHECK(rd(*z, kDr) == kHostTime + 1);
    arch::fake_advance(3600 * kSecond);
    CHECK(rd(*z, kDr) == kHostTime + 3601);
    CHECK(rd(*z, kLr) == kHostTime + 3601); // RTCLR reads back the counter, as QEMU's

    SECTION("RTCCR: always started; writing it stops nothing") {
        CHECK(rd(*z, kCr) == 1);
        wr(*z, kCr, 0);
        CHECK(rd(*z, kCr) == 1);
        arch::fake_advance(kSecond);
        CHECK(rd(*z, kDr) == kHostTime + 3602);
    }
    SECTION("RTCDR is read-only") {
        wr(*z, kDr, 5);
        CHECK(rd(*z, kDr) == kHostTime + 3601);
    }
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("pl031: a zone writing RTCLR sets its own clock only", "[devices][rtc]") {
    FakeMachine m;
    host_rtc_says(kHostTime);
    Zone* a = m.create("setter");
    Zone* b = m.create("bystander");
    const u64 host_before = wall_clock::epoch_ticks(arch::now());
    arch::fake_advance(kSecond / 4);
    wr(*a, kLr, 1000);
    CHECK(rd(*a, kDr) == 1000);
    CHECK(rd(*b, kDr) == kHostTime);
    CHECK(wall_clock::epoch_ticks(arch::now()) == host_before + kSecond / 4);
    // A loaded counter ticks a whole second after the load.
    arch::fake_advance(kSecond - 1);
    CHECK(rd(*a, kDr) == 1000);
    arch::fake_advance(1);
    CHECK(rd(*a, kDr) == 1001);
    CHECK(rd(*b, kDr) == kHostTime + 1);
    // A zone created later starts at the host's clock, not at the setter's.
    Zone* c = m.create("later");
    CHECK(rd(*c, kDr) == kHostTime + 1);
    // Back to the future, and past 2^31 (RTCDR is unsigned).
    wr(*a, kLr, 0xfffffff0);
    CHECK(rd(*a, kDr) == 0xfffffff0);
    REQUIRE(m.destroy(*c) == Status::ok);
    REQUIRE(m.destroy(*b) == Status::ok);
    REQUIRE(m.destroy(*a) == Status::ok);
}

TEST_CASE("pl031: RTCMR, RTCIMSC, RTCRIS, RTCMIS and RTCICR", "[devices][rtc]") {
    FakeMachine m;
    host_rtc_says(kHostTime);
    Zone* z = m.create("alarm");
    REQUIRE(zone_start(*z) == Status::ok);
    clear_line(*z);
    CHECK(rd(*z, kImsc) == 0);
    CHECK(rd(*z, kRis) == 0);
    CHECK(rd(*z, kMis) == 0);

    SECTION("a match in the future is raised when the counter gets there") {
        wr(*z, kImsc, 1);
        wr(*z, kMr, kHostTime + 2);
        CHECK(rd(*z, kMr) == kHostTime + 2);
        CHECK(rd(*z, kRis) == 0);
        // Due when RTCDR becomes kHostTime + 2: 1.5 s from now (the reading
        // was the middle of its second), published to CPU 0's check.
        const u64 due = arch::now() + 3 * kSecond / 2;
        CHECK(z->device_timer.deadline() == due);
        CHECK(watchdog_next() == due);
        watchdog_check(due - 1);
        CHECK(rd(*z, kRis) == 0);
        CHECK_FALSE(line_raised(*z));
        arch::fake_set_now(due);
        watchdog_check(due);
        CHECK(rd(*z, kDr) == kHostTime + 2);
        CHECK(rd(*z, kRis) == 1);
        CHECK(rd(*z, kMis) == 1);
        CHECK(line_raised(*z));
        CHECK(z->device_timer.deadline() == 0);
        // Cleared by RTCICR; nothing more until a new match.
        clear_line(*z);
        wr(*z, kIcr, 1);
        CHECK(rd(*z, kRis) == 0);
        CHECK(rd(*z, kMis) == 0);
        arch::fake_advance(10 * kSecond);
        watchdog_check(arch::now());
        CHECK(rd(*z, kRis) == 0);
        CHECK_FALSE(line_raised(*z));
    }
    SECTION("a match not after the counter is raised at once") {
        wr(*z, kMr, kHostTime);
        CHECK(rd(*z, kRis) == 1);
        CHECK(rd(*z, kMis) == 0); // masked
        CHECK_FALSE(line_raised(*z));
        wr(*z, kImsc, 1); // unmasking a raised match asserts the line
        CHECK(rd(*z, kMis) == 1);
        CHECK(line_raised(*z));
        wr(*z, kIcr, 0); // only bit 0 clears
        CHECK(rd(*z, kRis) == 1);
        wr(*z, kIcr, 1);
        CHECK(rd(*z, kRis) == 0);
        wr(*z, kImsc, 0);
        CHECK(rd(*z, kImsc) == 0);
    }
    SECTION("loading RTCLR past the match raises it; a new RTCMR re-arms") {
        wr(*z, kMr, kHostTime + 100);
        CHECK(z->device_timer.deadline() != 0);
        wr(*z, kLr, kHostTime + 100);
        CHECK(rd(*z, kRis) == 1);
        CHECK(z->device_timer.deadline() == 0);
        wr(*z, kIcr, 1);
        wr(*z, kMr, kHostTime + 101);
        CHECK(z->device_timer.deadline() == arch::now() + kSecond);
    }
    zone_end(*z, ZoneState::stopped, BH_EXIT_STOPPED, 0, "test over");
    for (unsigned c = 0; c < 4; ++c) {
        arch::fake_set_cpu_id(c);
        arch::this_cpu().need_resched = false;
    }
    arch::fake_set_cpu_id(0);
    REQUIRE(m.destroy(*z) == Status::ok);
}
