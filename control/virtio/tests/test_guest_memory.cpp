// SPDX-License-Identifier: GPL-2.0-only
// Bounds checks of GuestMemory: every range that is not wholly inside the
// zone's RAM is refused as a whole, including ranges that wrap past 2^64
// or straddle either end.
#include <bulkhead/virtio/vector_guest_memory.hpp>

#include <catch2/catch.hpp>

#include <array>

using namespace bh::virtio;

TEST_CASE("virtio guest memory: contains() accepts exactly the zone's RAM", "[virtio][memory]") {
    VectorGuestMemory m(0x4000'0000, 0x1000);
    CHECK(m.contains(0x4000'0000, 0x1000));
    CHECK(m.contains(0x4000'0ff0, 0x10));
    CHECK(m.contains(0x4000'1000, 0)); // empty, right at the end
    CHECK_FALSE(m.contains(0x4000'1000, 1));
    CHECK_FALSE(m.contains(0x4000'0ff0, 0x11)); // straddles the end
    CHECK_FALSE(m.contains(0x3fff'ffff, 2));    // straddles the start
    CHECK_FALSE(m.contains(0, 0x1000));
    CHECK_FALSE(m.contains(0x4000'0800, ~u64{0})); // would wrap
    CHECK_FALSE(m.contains(~u64{0} - 0xf, 0x20));  // wraps past 2^64
    CHECK_FALSE(m.contains(~u64{0}, 1));
    CHECK_FALSE(m.contains(0x4000'0001, 0xffff'ffff'ffff'fff0)); // base + len wraps to inside
}

TEST_CASE("virtio guest memory: refused accesses copy nothing", "[virtio][memory]") {
    VectorGuestMemory m(0x4000'0000, 0x100);
    std::array<u8, 16> buf;
    buf.fill(0xaa);
    REQUIRE(m.write(0x4000'00f0, buf.data(), 16));
    CHECK(m.raw()[0xff] == 0xaa);

    buf.fill(0x55);
    CHECK_FALSE(m.write(0x4000'00f8, buf.data(), 16)); // straddles the end
    CHECK(m.raw()[0xf8] == 0xaa);                      // not even the part inside
    CHECK_FALSE(m.read(~u64{0} - 7, buf.data(), 16));
    CHECK(buf[0] == 0x55);

    u16 v = 0;
    m.raw()[0x10] = 0x34;
    m.raw()[0x11] = 0x12;
    REQUIRE(m.load_u16(0x4000'0010, v));
    CHECK(v == 0x1234);
    CHECK_FALSE(m.load_u16(0x4000'0011, v)); // misaligned
    CHECK_FALSE(m.load_u16(0x4000'0100, v)); // just past the end
    CHECK_FALSE(m.store_u16(0x4000'00ff, 1));
    REQUIRE(m.store_u16(0x4000'00fe, 0xbeef));
    CHECK(m.raw()[0xfe] == 0xef);
    CHECK(m.raw()[0xff] == 0xbe);
}
