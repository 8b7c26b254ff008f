// SPDX-License-Identifier: GPL-2.0-only
// Well-formed split virtqueues (virtio 1.2, 2.7) through the console:
// chains of several buffers, indirect tables, index wrap-around, the used
// ring, and both notification-suppression schemes (avail.flags, and
// VIRTIO_F_EVENT_IDX with used_event / avail_event).
#include <catch2/catch.hpp>

#include "console_rig.hpp"

using namespace bh::virtio;
using namespace bh::virtio::test;

namespace {

constexpr u64 kBuf = ConsoleRig::kBuffers;
constexpr u64 kTable = ConsoleRig::kTables;

} // namespace

TEST_CASE("virtio queue: a transmit chain reaches the sink and comes back used", "[virtio][queue]") {
    ConsoleRig rig;
    rig.bring_up();
    rig.send("hello, zone");
    const ProcessResult r = rig.run();
    CHECK(r.chains == 1);
    CHECK_FALSE(r.more);
    CHECK(rig.out == "hello, zone");
    REQUIRE(rig.tx.used_idx() == 1);
    CHECK(rig.tx.used_elem(0).id == 0);
    CHECK(rig.tx.used_elem(0).len == 0); // the device wrote nothing into it
    CHECK(rig.count(Interrupt::used_buffer) == 1);
    CHECK(rig.console.stats().transmitted == 11);
}

TEST_CASE("virtio queue: a chain of several readable buffers, an empty one included", "[virtio][queue]") {
    ConsoleRig rig;
    rig.bring_up();
    rig.tx.fill(kBuf, "abc");
    rig.tx.fill(kBuf + 0x100, "defg");
    rig.tx.fill(kBuf + 0x200, "h");
    // Descriptors need not be consecutive: 5 -> 9 -> 2 -> 7.
    rig.tx.set_desc(5, kBuf, 3, VRING_DESC_F_NEXT, 9);
    rig.tx.set_desc(9, kBuf + 0x300, 0, VRING_DESC_F_NEXT, 2); // empty (its address must still be in RAM)
    rig.tx.set_desc(2, kBuf + 0x100, 4, VRING_DESC_F_NEXT, 7);
    rig.tx.set_desc(7, kBuf + 0x200, 1, 0, 0);
    rig.tx.publish(5);
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    rig.drain();
    CHECK(rig.out == "abcdefgh");
    CHECK(rig.tx.used_elem(0).id == 5);
}

TEST_CASE("virtio queue: indirect descriptors", "[virtio][queue]") {
    ConsoleRig rig;
    rig.bring_up(kVersion1 | bit(VIRTIO_RING_F_INDIRECT_DESC));
    rig.tx.fill(kBuf, "in");
    rig.tx.fill(kBuf + 0x100, "di");
    rig.tx.fill(kBuf + 0x200, "rect");
    SECTION("a single indirect descriptor") {
        rig.tx.set_desc(0, kTable, 3 * 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_WRITE, 0); // WRITE ignored (2.7.5.3.2)
        rig.tx.set_desc(0, kBuf, 2, VRING_DESC_F_NEXT, 2, kTable);
        rig.tx.set_desc(2, kBuf + 0x100, 2, VRING_DESC_F_NEXT, 1, kTable);
        rig.tx.set_desc(1, kBuf + 0x200, 4, 0, 0, kTable);
    }
    SECTION("direct descriptors followed by an indirect one") {
        rig.tx.set_desc(0, kBuf, 2, VRING_DESC_F_NEXT, 1);
        rig.tx.set_desc(1, kTable, 2 * 16, VRING_DESC_F_INDIRECT, 0);
        rig.tx.set_desc(0, kBuf + 0x100, 2, VRING_DESC_F_NEXT, 1, kTable);
        rig.tx.set_desc(1, kBuf + 0x200, 4, 0, 0, kTable);
    }
    SECTION("a table larger than the chain in it") {
        rig.tx.set_desc(0, kTable, 64 * 16, VRING_DESC_F_INDIRECT, 0);
        rig.tx.set_desc(0, kBuf, 2, VRING_DESC_F_NEXT, 40, kTable);
        rig.tx.set_desc(40, kBuf + 0x100, 2, VRING_DESC_F_NEXT, 63, kTable);
        rig.tx.set_desc(63, kBuf + 0x200, 4, 0, 0, kTable);
    }
    rig.tx.publish(0);
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    rig.drain();
    CHECK_FALSE(rig.broken());
    CHECK(rig.out == "indirect");
}

TEST_CASE("virtio queue: the pop API splits readable and writable buffers", "[virtio][queue]") {
    VectorGuestMemory mem(0x1000, 0x4000);
    SplitQueue q(mem, 8);
    q.layout() = {8, 0x1000, 0x1100, 0x1200};
    REQUIRE(q.start() == DriverError::none);
    DriverQueue d(mem, 0x1000, 0x1100, 0x1200, 8);
    d.write_chain(3, {{0x2000, 10}, {0x2100, 20}, {0x2200, 30, true}, {0x2300, 40, true}});
    d.publish(3);
    DescriptorChain c;
    REQUIRE(q.pop(c) == PopResult::chain);
    CHECK(c.head == 3);
    REQUIRE(c.readable.size() == 2);
    REQUIRE(c.writable.size() == 2);
    CHECK(c.readable[1].addr == 0x2100);
    CHECK(c.writable[0].len == 30);
    CHECK(c.readable_bytes == 30);
    CHECK(c.writable_bytes == 70);
    CHECK(q.pop(c) == PopResult::empty);
    REQUIRE(q.push_used(3, 55));
    CHECK(d.used_idx() == 1);
    CHECK(d.used_elem(0).id == 3);
    CHECK(d.used_elem(0).len == 55);
}

TEST_CASE("virtio queue: QueueNumMax is always a power of two up to 32768", "[virtio][queue]") {
    VectorGuestMemory mem(0, 0x1000);
    CHECK(SplitQueue(mem, 256).max_size() == 256);
    CHECK(SplitQueue(mem, 300).max_size() == 256);
    CHECK(SplitQueue(mem, 65535).max_size() == 32768);
    SplitQueue none(mem, 0);
    CHECK(none.max_size() == 0);
    none.layout() = {0, 0, 0x100, 0x200};
    CHECK(none.start() == DriverError::queue_size);
}

TEST_CASE("virtio queue: ring indices wrap around at 2^16", "[virtio][queue]") {
    ConsoleRig rig(TransportLimits{64, 0, 1});
    rig.bring_up();
    const unsigned total = 65536 + 40;
    unsigned sent = 0;
    while (sent < total) {
        for (int i = 0; i < ConsoleRig::kQueueSize && sent < total; ++i, ++sent) {
            const u16 head = static_cast<u16>(rig.tx.avail_idx() % ConsoleRig::kQueueSize);
            rig.tx.write_chain(head, {{kBuf, 1}});
            rig.tx.publish(head);
        }
        rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
        rig.drain();
        REQUIRE_FALSE(rig.broken());
    }
    CHECK(rig.out.size() == total);
    CHECK(rig.tx.used_idx() == static_cast<u16>(total));
    CHECK(rig.transport.queue(1).last_avail() == static_cast<u16>(total));
}

TEST_CASE("virtio queue: VRING_AVAIL_F_NO_INTERRUPT suppresses used-buffer interrupts", "[virtio][queue]") {
    ConsoleRig rig;
    rig.bring_up();
    rig.tx.set_avail_flags(VRING_AVAIL_F_NO_INTERRUPT);
    rig.send("quiet");
    rig.drain();
    CHECK(rig.out == "quiet");
    CHECK(rig.count(Interrupt::used_buffer) == 0);
    rig.tx.set_avail_flags(0);
    rig.send("loud");
    rig.drain();
    CHECK(rig.count(Interrupt::used_buffer) == 1);
}

TEST_CASE("virtio queue: VIRTIO_F_EVENT_IDX, used_event and avail_event", "[virtio][queue]") {
    ConsoleRig rig;
    rig.bring_up(kVersion1 | bit(VIRTIO_RING_F_EVENT_IDX));
    // The driver wants an interrupt only once used.idx passes 2 (after the
    // third buffer: vring_need_event(2, new, old)).
    rig.tx.set_used_event(2);
    rig.send("a");
    rig.drain();
    rig.send("b");
    rig.drain();
    CHECK(rig.count(Interrupt::used_buffer) == 0);
    rig.send("c");
    rig.drain();
    CHECK(rig.count(Interrupt::used_buffer) == 1);
    // Flags are ignored with EVENT_IDX (2.7.7.2).
    rig.tx.set_avail_flags(VRING_AVAIL_F_NO_INTERRUPT);
    rig.tx.set_used_event(3);
    rig.send("d");
    rig.drain();
    CHECK(rig.count(Interrupt::used_buffer) == 2);
    // Several used in one batch: one interrupt if used_event is among them.
    rig.tx.set_used_event(5);
    for (const char* s : {"e", "f", "g"}) {
        const u16 head = static_cast<u16>(rig.tx.avail_idx() % ConsoleRig::kQueueSize);
        rig.tx.fill(kBuf + 0x100u * head, s);
        rig.tx.write_chain(head, {{kBuf + 0x100u * head, 1}});
        rig.tx.publish(head);
    }
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    rig.drain();
    CHECK(rig.out == "abcdefg");
    CHECK(rig.count(Interrupt::used_buffer) == 3);
    // Having found the ring empty, the device asked to be notified at the
    // next entry it will take.
    CHECK(rig.tx.avail_event() == 7);
}
