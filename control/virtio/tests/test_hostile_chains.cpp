// SPDX-License-Identifier: GPL-2.0-only
// Hostile descriptor chains and available rings: one test per way a driver
// can break the split-ring rules (virtio 1.2, 2.7). Each ends with the
// device in DEVICE_NEEDS_RESET, stopped, and working again after a reset.
#include <bulkhead/virtio/descriptor_chain.hpp>

#include <cstring>

#include "hostile.hpp"

using namespace bh::virtio;
using namespace bh::virtio::test;

namespace {

constexpr u64 kBuf = ConsoleRig::kBuffers;
constexpr u64 kTable = ConsoleRig::kTables;
constexpr u64 kFeaturesIndirect = kVersion1 | bit(VIRTIO_RING_F_INDIRECT_DESC);

// Publishes head 0 of the transmit queue and lets the device look at it.
void kick_tx(ConsoleRig& rig) {
    rig.tx.publish(0);
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, ConsoleDevice::kTransmitQueue);
    rig.drain();
}

} // namespace

TEST_CASE("virtio hostile: a descriptor loop", "[virtio][hostile]") {
    ConsoleRig rig;
    rig.bring_up();
    SECTION("two descriptors pointing at each other") {
        rig.tx.set_desc(0, kBuf, 8, VRING_DESC_F_NEXT, 1);
        rig.tx.set_desc(1, kBuf, 8, VRING_DESC_F_NEXT, 0);
    }
    SECTION("a descriptor pointing at itself") { rig.tx.set_desc(0, kBuf, 8, VRING_DESC_F_NEXT, 0); }
    SECTION("a loop inside an indirect table") {
        rig.bring_up(kFeaturesIndirect);
        rig.tx.set_desc(0, kTable, 3 * 16, VRING_DESC_F_INDIRECT, 0);
        rig.tx.set_desc(0, kBuf, 8, VRING_DESC_F_NEXT, 1, kTable);
        rig.tx.set_desc(1, kBuf, 8, VRING_DESC_F_NEXT, 2, kTable);
        rig.tx.set_desc(2, kBuf, 8, VRING_DESC_F_NEXT, 1, kTable);
    }
    kick_tx(rig);
    require_broken(rig, DriverError::chain_too_long);
    CHECK(rig.out.empty()); // nothing of the chain reached the sink
    require_recovers(rig);
}

TEST_CASE("virtio hostile: a chain longer than the queue", "[virtio][hostile]") {
    // The queue has 16 descriptors, so only an indirect table can hold a
    // longer chain without a loop; 2.7.5.3.1 forbids it all the same.
    ConsoleRig rig;
    rig.bring_up(kFeaturesIndirect);
    constexpr u16 kEntries = 2 * ConsoleRig::kQueueSize;
    rig.tx.set_desc(0, kTable, kEntries * 16, VRING_DESC_F_INDIRECT, 0);
    for (u16 i = 0; i < kEntries; ++i)
        rig.tx.set_desc(i, kBuf, 1, i + 1 < kEntries ? VRING_DESC_F_NEXT : 0, static_cast<u16>(i + 1), kTable);
    kick_tx(rig);
    require_broken(rig, DriverError::chain_too_long);
    require_recovers(rig, kFeaturesIndirect);
}

TEST_CASE("virtio hostile: a buffer outside guest memory", "[virtio][hostile]") {
    ConsoleRig rig;
    rig.bring_up();
    SECTION("below the zone's RAM") { rig.tx.write_chain(0, {{0x1000, 16}}); }
    SECTION("past the end") { rig.tx.write_chain(0, {{ConsoleRig::kBase + ConsoleRig::kSize, 1}}); }
    SECTION("the second buffer of a chain") { rig.tx.write_chain(0, {{kBuf, 4}, {0x8000'0000, 4}}); }
    kick_tx(rig);
    require_broken(rig, DriverError::buffer_outside_memory);
    require_recovers(rig);
}

TEST_CASE("virtio hostile: a receive buffer outside guest memory", "[virtio][hostile]") {
    ConsoleRig rig;
    rig.bring_up();
    rig.rx.write_chain(0, {{0x10, 64, true}});
    rig.rx.publish(0);
    rig.in = "x";
    rig.console.input_ready();
    rig.drain();
    require_broken(rig, DriverError::buffer_outside_memory);
    require_recovers(rig);
}

TEST_CASE("virtio hostile: a buffer whose address plus length wraps or straddles the end", "[virtio][hostile]") {
    ConsoleRig rig;
    rig.bring_up();
    SECTION("wraps past 2^64") { rig.tx.write_chain(0, {{~u64{0} - 0xf, 0x20}}); }
    SECTION("wraps back into RAM") { rig.tx.write_chain(0, {{ConsoleRig::kBase + 0x100, 0xffff'ffff}}); }
    SECTION("straddles the end of RAM") { rig.tx.write_chain(0, {{ConsoleRig::kBase + ConsoleRig::kSize - 8, 16}}); }
    SECTION("straddles the start of RAM") { rig.tx.write_chain(0, {{ConsoleRig::kBase - 8, 16}}); }
    kick_tx(rig);
    require_broken(rig, DriverError::buffer_outside_memory);
    require_recovers(rig);
}

TEST_CASE("virtio hostile: an indirect table outside guest memory", "[virtio][hostile]") {
    ConsoleRig rig;
    rig.bring_up(kFeaturesIndirect);
    SECTION("wholly outside") { rig.tx.set_desc(0, 0x2000, 64, VRING_DESC_F_INDIRECT, 0); }
    SECTION("straddling the end") {
        rig.tx.set_desc(0, ConsoleRig::kBase + ConsoleRig::kSize - 32, 64, VRING_DESC_F_INDIRECT, 0);
    }
    SECTION("wrapping") { rig.tx.set_desc(0, ~u64{0} - 31, 64, VRING_DESC_F_INDIRECT, 0); }
    kick_tx(rig);
    require_broken(rig, DriverError::indirect_outside_memory);
    require_recovers(rig, kFeaturesIndirect);
}

TEST_CASE("virtio hostile: an indirect table of a bad length", "[virtio][hostile]") {
    ConsoleRig rig;
    rig.bring_up(kFeaturesIndirect);
    u32 len = GENERATE(0u, 8u, 17u, 33u);
    INFO("table length " << len);
    rig.tx.set_desc(0, kBuf, 8, VRING_DESC_F_NEXT, 0, kTable);
    rig.tx.set_desc(0, kTable, len, VRING_DESC_F_INDIRECT, 0);
    kick_tx(rig);
    require_broken(rig, DriverError::indirect_length);
    require_recovers(rig, kFeaturesIndirect);
}

TEST_CASE("virtio hostile: nested, chained or unnegotiated indirect descriptors", "[virtio][hostile]") {
    ConsoleRig rig;
    DriverError expected = DriverError::none;
    SECTION("an indirect descriptor inside an indirect table") {
        rig.bring_up(kFeaturesIndirect);
        rig.tx.set_desc(0, kTable, 32, VRING_DESC_F_INDIRECT, 0);
        rig.tx.set_desc(0, kBuf, 8, VRING_DESC_F_NEXT, 1, kTable);
        rig.tx.set_desc(1, kTable, 32, VRING_DESC_F_INDIRECT, 0, kTable); // itself again
        expected = DriverError::indirect_nested;
    }
    SECTION("INDIRECT together with NEXT") {
        rig.bring_up(kFeaturesIndirect);
        rig.tx.set_desc(0, kTable, 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1);
        rig.tx.set_desc(0, kBuf, 8, 0, 0, kTable);
        expected = DriverError::indirect_with_next;
    }
    SECTION("INDIRECT without VIRTIO_F_INDIRECT_DESC") {
        rig.bring_up(kVersion1);
        rig.tx.set_desc(0, kTable, 16, VRING_DESC_F_INDIRECT, 0);
        rig.tx.set_desc(0, kBuf, 8, 0, 0, kTable);
        expected = DriverError::indirect_not_negotiated;
    }
    kick_tx(rig);
    require_broken(rig, expected);
    require_recovers(rig, kFeaturesIndirect);
}

TEST_CASE("virtio hostile: an available index beyond the ring", "[virtio][hostile]") {
    ConsoleRig rig;
    rig.bring_up();
    for (u16 i = 0; i < ConsoleRig::kQueueSize; ++i) rig.tx.write_chain(i, {{kBuf, 1}});
    SECTION("one more than the queue size") { rig.tx.set_avail_idx(ConsoleRig::kQueueSize + 1); }
    SECTION("going backwards") { rig.tx.set_avail_idx(0xffff); }
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, ConsoleDevice::kTransmitQueue);
    rig.drain();
    require_broken(rig, DriverError::avail_index_jump);
    require_recovers(rig);
}

TEST_CASE("virtio hostile: an available index that jumps after chains were taken", "[virtio][hostile]") {
    // The check is against what the device has taken, not against zero.
    ConsoleRig rig;
    rig.bring_up();
    for (int i = 0; i < 20; ++i) {
        rig.send("x");
        rig.drain();
    }
    REQUIRE(rig.out == std::string(20, 'x'));
    rig.tx.set_avail_idx(static_cast<u16>(20 + ConsoleRig::kQueueSize + 1));
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, ConsoleDevice::kTransmitQueue);
    rig.drain();
    REQUIRE(rig.broken());
    CHECK(rig.transport.error() == DriverError::avail_index_jump);
    CHECK(rig.tx.used_idx() == 20);
}

TEST_CASE("virtio hostile: descriptor indices out of range", "[virtio][hostile]") {
    ConsoleRig rig;
    rig.bring_up();
    DriverError expected = DriverError::none;
    SECTION("a head past the table") {
        rig.tx.write_chain(0, {{kBuf, 1}});
        rig.tx.publish(ConsoleRig::kQueueSize);
        expected = DriverError::head_out_of_range;
    }
    SECTION("a next past the table") {
        rig.tx.set_desc(0, kBuf, 1, VRING_DESC_F_NEXT, ConsoleRig::kQueueSize);
        rig.tx.publish(0);
        expected = DriverError::next_out_of_range;
    }
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, ConsoleDevice::kTransmitQueue);
    rig.drain();
    require_broken(rig, expected);
    require_recovers(rig);
}

TEST_CASE("virtio hostile: buffers of the wrong direction or order", "[virtio][hostile]") {
    ConsoleRig rig;
    rig.bring_up();
    DriverError expected = DriverError::none;
    SECTION("a readable buffer after a writable one") {
        rig.tx.write_chain(0, {{kBuf, 4, true}, {kBuf + 16, 4}});
        rig.tx.publish(0);
        expected = DriverError::readable_after_writable;
    }
    SECTION("a device-writable buffer in the transmitq") {
        rig.tx.write_chain(0, {{kBuf, 4}, {kBuf + 16, 4, true}});
        rig.tx.publish(0);
        expected = DriverError::wrong_direction;
    }
    SECTION("a device-readable buffer in the receiveq") {
        rig.rx.write_chain(0, {{kBuf, 4}});
        rig.rx.publish(0);
        rig.in = "input";
        rig.console.input_ready();
        expected = DriverError::wrong_direction;
    }
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, ConsoleDevice::kTransmitQueue);
    rig.drain();
    require_broken(rig, expected);
    CHECK(rig.out.empty());
    require_recovers(rig);
}

TEST_CASE("virtio hostile: a chain of more than 4 GiB", "[virtio][hostile]") {
    // 2.7.5.1: at most 2^32 bytes in total. With a small queue no chain can
    // get there, so the walk is checked directly on a big queue whose every
    // descriptor names the same 256 KiB of RAM.
    constexpr u64 kBase = 0x8000'0000;
    VectorGuestMemory mem(kBase, 1 << 20);
    constexpr u16 kSize = 32768;
    constexpr u32 kLen = 256 << 10;
    const u64 table = kBase + (512 << 10);
    for (u16 i = 0; i <= kSize / 2; ++i) { // 16385 x 256 KiB > 4 GiB
        vring_desc d{to_le(kBase), to_le(kLen), to_le(u16{VRING_DESC_F_NEXT}), to_le(static_cast<u16>(i + 1))};
        std::memcpy(mem.host(table + 16u * i), &d, sizeof d);
    }
    DescriptorChain chain;
    CHECK(walk_chain(mem, {table, kSize, false}, 0, chain) == DriverError::chain_too_large);
    // One descriptor fewer than 4 GiB's worth is still fine.
    vring_desc last{to_le(kBase), to_le(kLen), 0, 0};
    std::memcpy(mem.host(table + 16u * ((u64{1} << 32) / kLen - 1)), &last, sizeof last);
    CHECK(walk_chain(mem, {table, kSize, false}, 0, chain) == DriverError::none);
    CHECK(chain.readable_bytes == u64{1} << 32);
}
