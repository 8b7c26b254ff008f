// SPDX-License-Identifier: GPL-2.0-only
// The zone's CMOS RTC: its register encoding (cmos_time.hpp), the decoding
// of the host's RTC in each of its modes, and the register file a zone
// reaches through ports 0x70/0x71 (cmos_rtc.hpp).
#include <arch/cmos_rtc.hpp>
#include <arch/cmos_time.hpp>
#include <bulkhead/wall_clock.hpp>

#include "fake_machine.hpp"
#include "port_io.hpp"

using namespace bh;
using namespace bh::x86_64;

namespace {

constexpr u64 kHostTime = 1700000000; // 2023-11-14 22:13:20 UTC, a Tuesday

u8 reg(CmosRtc& rtc, u8 index, u64 seconds = kHostTime) {
    rtc.select(index);
    return rtc.read(seconds);
}

} // namespace

TEST_CASE("cmos: BCD helpers", "[x86][rtc]") {
    CHECK(cmos::to_bcd(0) == 0x00);
    CHECK(cmos::to_bcd(59) == 0x59);
    CHECK(cmos::to_bcd(2023 % 100) == 0x23);
    for (u32 v = 0; v < 100; ++v) CHECK(cmos::from_bcd(cmos::to_bcd(v)) == v);
}

TEST_CASE("cmos: the time registers show the wall clock in BCD, 24-hour", "[x86][rtc]") {
    CmosRtc rtc;
    CHECK(reg(rtc, 0x00) == 0x20); // seconds
    CHECK(reg(rtc, 0x02) == 0x13); // minutes
    CHECK(reg(rtc, 0x04) == 0x22); // hours: 22, not 10 PM
    CHECK(reg(rtc, 0x06) == 0x03); // day of week: Tuesday (Sunday = 1)
    CHECK(reg(rtc, 0x07) == 0x14); // day of month
    CHECK(reg(rtc, 0x08) == 0x11); // month
    CHECK(reg(rtc, 0x09) == 0x23); // year
    CHECK(reg(rtc, 0x32) == 0x20); // century
    // The status registers: no update in progress, 24-hour BCD, no
    // interrupt flags, valid RAM and time.
    CHECK(reg(rtc, 0x0a) == 0x26);
    CHECK(reg(rtc, 0x0b) == 0x02);
    CHECK(reg(rtc, 0x0c) == 0x00);
    CHECK(reg(rtc, 0x0d) == 0x80);
    // The clock moves with the seconds given.
    CHECK(reg(rtc, 0x00, kHostTime + 39) == 0x59);
    CHECK(reg(rtc, 0x02, kHostTime + 40) == 0x14);
    CHECK(reg(rtc, 0x00, kHostTime + 40) == 0x00);
    // 1999-12-31 23:59:59 and a second later.
    CHECK(reg(rtc, 0x32, 946684799) == 0x19);
    CHECK(reg(rtc, 0x09, 946684799) == 0x99);
    CHECK(reg(rtc, 0x32, 946684800) == 0x20);
    CHECK(reg(rtc, 0x09, 946684800) == 0x00);
    CHECK(reg(rtc, 0x08, 946684800) == 0x01);
}

TEST_CASE("cmos: writes to the time and read-only registers are dropped, the rest kept", "[x86][rtc]") {
    CmosRtc rtc;
    for (u8 r : {0x00, 0x02, 0x04, 0x06, 0x07, 0x08, 0x09, 0x32, 0x0c, 0x0d}) {
        const u8 before = reg(rtc, r);
        rtc.write(0x42);
        CHECK(reg(rtc, r) == before);
    }
    // Status A: the rate bits are the zone's, update-in-progress never shows.
    rtc.select(0x0a);
    rtc.write(0xa6);
    CHECK(reg(rtc, 0x0a) == 0x26);
    // Status B: enables and SET kept; binary mode and 12-hour refused.
    rtc.select(0x0b);
    rtc.write(0x80 | 0x04);
    CHECK(reg(rtc, 0x0b) == 0x82);
    // Alarms and CMOS RAM.
    for (u8 r : {0x01, 0x03, 0x05, 0x0e, 0x0f, 0x31, 0x33, 0x7f}) {
        rtc.select(r);
        rtc.write(static_cast<u8>(r ^ 0x5a));
        CHECK(reg(rtc, r) == (r ^ 0x5a));
    }
    // Bit 7 of the index (NMI disable) selects the same register.
    rtc.select(0x80 | 0x09);
    CHECK(rtc.read(kHostTime) == 0x23);
}

TEST_CASE("cmos: the zone's RTC at ports 0x70/0x71 shows the host's wall clock", "[x86][rtc]") {
    bh::test::FakeMachine m;
    wall_clock::set(kHostTime, arch::now());
    Zone* z = m.create("rtc");
    DeviceRegistry r;
    CmosRtc rtc;
    REQUIRE(r.add(AddressSpace::port, CmosRtc::kBase, CmosRtc::kPorts, rtc, "CMOS RTC") == Status::ok);
    bh::test::PortIo io{r, z->vcpus[0]};
    auto out = [&](u16 port, u8 v) { io.out(port, v); };
    auto in = [&](u16 port) { return io.in(port); };
    out(0x70, 0x04);
    CHECK(in(0x71) == 0x22);
    out(0x70, 0x00);
    CHECK(in(0x71) == 0x20);
    arch::fake_advance(10 * arch::kFakeTicksPerSecond);
    CHECK(in(0x71) == 0x30);
    CHECK(in(0x70) == 0xff); // the index port is write-only
    REQUIRE(m.destroy(*z) == Status::ok);
}

TEST_CASE("cmos: decoding the host's RTC in each mode", "[x86][rtc]") {
    civil::DateTime t;
    // BCD, 24-hour (what PCs and QEMU use).
    REQUIRE(cmos::decode({0x20, 0x13, 0x22, 0x14, 0x11, 0x23, 0x02}, t));
    CHECK(civil::to_epoch(t) == kHostTime);
    // Binary, 24-hour.
    REQUIRE(cmos::decode({20, 13, 22, 14, 11, 23, 0x06}, t));
    CHECK(civil::to_epoch(t) == kHostTime);
    // BCD, 12-hour: 10 PM, then 12 AM (midnight) and 12 PM (noon).
    REQUIRE(cmos::decode({0x20, 0x13, 0x80 | 0x10, 0x14, 0x11, 0x23, 0x00}, t));
    CHECK(civil::to_epoch(t) == kHostTime);
    REQUIRE(cmos::decode({0x00, 0x00, 0x12, 0x01, 0x01, 0x24, 0x00}, t));
    CHECK(t.hour == 0);
    REQUIRE(cmos::decode({0x00, 0x00, 0x80 | 0x12, 0x01, 0x01, 0x24, 0x00}, t));
    CHECK(t.hour == 12);
    // Binary, 12-hour: 10 PM.
    REQUIRE(cmos::decode({20, 13, 0x80 | 10, 14, 11, 23, 0x04}, t));
    CHECK(civil::to_epoch(t) == kHostTime);
    // Two-digit years: 70-99 are 19xx, 00-69 20xx.
    REQUIRE(cmos::decode({0, 0, 0, 1, 1, 0x70, 0x02}, t));
    CHECK(t.year == 1970);
    REQUIRE(cmos::decode({0, 0, 0, 1, 1, 0x69, 0x02}, t));
    CHECK(t.year == 2069);
    // No RTC (all ones) or nonsense: refused.
    CHECK_FALSE(cmos::decode({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, t));
    CHECK_FALSE(cmos::decode({0x00, 0x00, 0x24, 0x01, 0x01, 0x24, 0x02}, t));
    CHECK_FALSE(cmos::decode({0x00, 0x00, 0x00, 0x01, 0x13, 0x24, 0x02}, t));
    CHECK_FALSE(cmos::decode({0x00, 0x00, 0x00, 0x00, 0x01, 0x24, 0x02}, t));
    CHECK_FALSE(cmos::decode({0x00, 0x00, 0x00, 0x01, 0x01, 0x24, 0x00}, t)); // 12-hour mode, hour 0
}

TEST_CASE("cmos: what the zone's RTC shows, the host decoder reads back", "[x86][rtc]") {
    CmosRtc rtc;
    for (u64 s = 0; s < 3u * 365 * 86400; s += 86400 * 7 + 3661) {
        const u64 t = 1600000000 + s;
        cmos::Reading r{reg(rtc, 0x00, t), reg(rtc, 0x02, t), reg(rtc, 0x04, t), reg(rtc, 0x07, t),
                        reg(rtc, 0x08, t), reg(rtc, 0x09, t), reg(rtc, 0x0b, t)};
        civil::DateTime d;
        REQUIRE(cmos::decode(r, d));
        REQUIRE(civil::to_epoch(d) == t);
    }
}
