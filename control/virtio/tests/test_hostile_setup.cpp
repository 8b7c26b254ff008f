// SPDX-License-Identifier: GPL-2.0-only
// Hostile queue set-up and notifications: bad sizes, rings misaligned or
// outside the zone's RAM (checked when the driver sets QueueReady), and
// notifications for queues that do not exist. A bad layout puts the device
// in DEVICE_NEEDS_RESET before it ever reads the rings; a bad notify is
// ignored, as there is no queue the device could look at.
#include "hostile.hpp"

using namespace bh::virtio;
using namespace bh::virtio::test;

namespace {

constexpr u64 kBase = ConsoleRig::kBase;
constexpr u64 kEnd = ConsoleRig::kBase + ConsoleRig::kSize;

// Negotiates, programs the transmit queue with `layout`, sets QueueReady
// and DRIVER_OK.
void set_up_tx(ConsoleRig& rig, const QueueLayout& layout) {
    REQUIRE(rig.negotiate(kVersion1));
    rig.setup_queue(ConsoleDevice::kReceiveQueue, rig.rx);
    rig.write(VIRTIO_MMIO_QUEUE_SEL, ConsoleDevice::kTransmitQueue);
    rig.write(VIRTIO_MMIO_QUEUE_NUM, layout.size);
    rig.write(VIRTIO_MMIO_QUEUE_DESC_LOW, static_cast<u32>(layout.desc));
    rig.write(VIRTIO_MMIO_QUEUE_DESC_HIGH, static_cast<u32>(layout.desc >> 32));
    rig.write(VIRTIO_MMIO_QUEUE_AVAIL_LOW, static_cast<u32>(layout.avail));
    rig.write(VIRTIO_MMIO_QUEUE_AVAIL_HIGH, static_cast<u32>(layout.avail >> 32));
    rig.write(VIRTIO_MMIO_QUEUE_USED_LOW, static_cast<u32>(layout.used));
    rig.write(VIRTIO_MMIO_QUEUE_USED_HIGH, static_cast<u32>(layout.used >> 32));
    rig.write(VIRTIO_MMIO_QUEUE_READY, 1);
    CHECK(rig.read(VIRTIO_MMIO_QUEUE_READY) == 0); // refused
    REQUIRE(rig.broken());                         // already, before DRIVER_OK
    CHECK(rig.interrupts.empty());                 // the driver is not listening yet
    rig.driver_ok();                               // now it is: told then
}

QueueLayout good_tx() { return {16, kBase + 0x1000, kBase + 0x1400, kBase + 0x1800}; }

} // namespace

TEST_CASE("virtio hostile: a queue size that is not a power of two", "[virtio][hostile]") {
    ConsoleRig rig;
    QueueLayout l = good_tx();
    l.size = GENERATE(3u, 12u, 255u);
    INFO("QueueNum " << l.size);
    set_up_tx(rig, l);
    require_broken(rig, DriverError::queue_size);
    require_recovers(rig);
}

TEST_CASE("virtio hostile: a queue size of zero or above QueueNumMax", "[virtio][hostile]") {
    ConsoleRig rig;
    QueueLayout l = good_tx();
    // 0x10010 would be 16 if the register were truncated to 16 bits.
    l.size = GENERATE(0u, 512u, 32768u, 65536u, 0x10010u);
    INFO("QueueNum " << l.size);
    set_up_tx(rig, l);
    require_broken(rig, DriverError::queue_size);
    require_recovers(rig);
}

TEST_CASE("virtio hostile: a used ring outside guest memory", "[virtio][hostile]") {
    ConsoleRig rig;
    QueueLayout l = good_tx();
    SECTION("past the end") { l.used = kEnd + 0x1000; }
    SECTION("straddling the end by its avail_event field") { l.used = kEnd - (4 + 8 * 16); }
    SECTION("below RAM") { l.used = 0x1000; }
    SECTION("near 2^64") { l.used = ~u64{0} - 0xff; }
    set_up_tx(rig, l);
    require_broken(rig, DriverError::queue_outside_memory);
    require_recovers(rig);
}

TEST_CASE("virtio hostile: a descriptor table or available ring outside guest memory", "[virtio][hostile]") {
    ConsoleRig rig;
    QueueLayout l = good_tx();
    SECTION("descriptor table straddling the end") { l.desc = kEnd - 0x80; }
    SECTION("available ring past the end") { l.avail = kEnd; }
    SECTION("available ring straddling the end by its used_event field") { l.avail = kEnd - (4 + 2 * 16); }
    SECTION("descriptor table at address 0") { l.desc = 0; }
    set_up_tx(rig, l);
    require_broken(rig, DriverError::queue_outside_memory);
    require_recovers(rig);
}

TEST_CASE("virtio hostile: misaligned rings", "[virtio][hostile]") {
    ConsoleRig rig;
    QueueLayout l = good_tx();
    SECTION("descriptor table on 8 bytes") { l.desc += 8; }
    SECTION("available ring on an odd address") { l.avail += 1; }
    SECTION("used ring on 2 bytes") { l.used += 2; }
    set_up_tx(rig, l);
    require_broken(rig, DriverError::queue_alignment);
    require_recovers(rig);
}

TEST_CASE("virtio hostile: a bad queue number on notify", "[virtio][hostile]") {
    const u32 queue = GENERATE(2u, 3u, 0xffffu, 0x10001u, 0xffff'ffffu);
    ConsoleRig rig;
    rig.bring_up();
    const u64 ignored = rig.transport.stats().ignored_notifies;
    const std::vector<u8> before = rig.mem.raw();
    SECTION("written to QueueNotify") { rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, queue); }
    SECTION("as a doorbell the hypervisor posted") { rig.transport.notify(queue); }
    CHECK(rig.transport.stats().ignored_notifies == ignored + 1);
    require_broken(rig, DriverError::notify_no_such_queue);
    CHECK(rig.drain() == 0);
    CHECK(rig.mem.raw() == before);
    require_recovers(rig);
}

TEST_CASE("virtio hostile: a notify for a queue that is not ready", "[virtio][hostile]") {
    ConsoleRig rig;
    REQUIRE(rig.negotiate(kVersion1));
    rig.setup_queue(ConsoleDevice::kReceiveQueue, rig.rx); // the transmitq is never made ready
    rig.driver_ok();
    // Chains the device must not look at (4.2.2.1).
    rig.tx.write_chain(0, {{0x10, 8}}); // would be a driver error if read
    rig.tx.publish(0);
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, ConsoleDevice::kTransmitQueue);
    CHECK(rig.transport.stats().ignored_notifies == 1);
    CHECK(rig.drain() == 0);
    CHECK_FALSE(rig.broken());
    CHECK(rig.tx.used_idx() == 0);
}
