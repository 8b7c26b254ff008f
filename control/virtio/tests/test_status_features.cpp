// SPDX-License-Identifier: GPL-2.0-only
// Device status and feature negotiation (virtio 1.2, 2.1, 2.2, 3.1):
// FEATURES_OK only for an acceptable feature set, nothing processed before
// DRIVER_OK, status bits that only the device or a reset can clear, and a
// reset that really forgets everything.
#include "hostile.hpp"

using namespace bh::virtio;
using namespace bh::virtio::test;

TEST_CASE("virtio status: a driver negotiates and runs", "[virtio][status]") {
    ConsoleRig rig;
    const u64 features = kVersion1 | bit(VIRTIO_RING_F_EVENT_IDX) | bit(VIRTIO_CONSOLE_F_EMERG_WRITE);
    REQUIRE(rig.negotiate(features));
    CHECK(rig.transport.negotiated_features() == features);
    CHECK(rig.read(VIRTIO_MMIO_STATUS) ==
          (VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK));
    rig.setup_queue(0, rig.rx);
    rig.setup_queue(1, rig.tx);
    rig.driver_ok();
    CHECK(rig.read(VIRTIO_MMIO_STATUS) == (VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                                           VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK));
    rig.send("hello");
    rig.drain();
    CHECK(rig.out == "hello");
}

TEST_CASE("virtio status: FEATURES_OK is refused for a feature set the device cannot take", "[virtio][status]") {
    ConsoleRig rig;
    SECTION("no VIRTIO_F_VERSION_1 (a legacy driver)") { CHECK_FALSE(rig.negotiate(bit(VIRTIO_RING_F_EVENT_IDX))); }
    SECTION("a feature that was not offered") { CHECK_FALSE(rig.negotiate(kVersion1 | bit(VIRTIO_F_RING_PACKED))); }
    SECTION("MULTIPORT, never offered") { CHECK_FALSE(rig.negotiate(kVersion1 | bit(VIRTIO_CONSOLE_F_MULTIPORT))); }
    SECTION("F_SIZE from a console without a size") {
        CHECK_FALSE(rig.negotiate(kVersion1 | bit(VIRTIO_CONSOLE_F_SIZE)));
    }
    SECTION("bits above 63") {
        rig.write(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 2);
        rig.write(VIRTIO_MMIO_DRIVER_FEATURES, 1);
        CHECK_FALSE(rig.negotiate(kVersion1));
    }
    CHECK(rig.transport.negotiated_features() == 0);
    // The driver gives up (3.1.1 step 6: FAILED); the device does nothing.
    rig.write(VIRTIO_MMIO_STATUS, rig.read(VIRTIO_MMIO_STATUS) | VIRTIO_CONFIG_S_FAILED);
    CHECK(rig.read(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FAILED);
    CHECK_FALSE(rig.broken());
    // A reset and a proper driver succeed.
    rig.reset_device();
    CHECK(rig.negotiate(kVersion1));
}

TEST_CASE("virtio status: features are fixed once FEATURES_OK is accepted", "[virtio][status]") {
    ConsoleRig rig;
    REQUIRE(rig.negotiate(kVersion1));
    rig.write(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    rig.write(VIRTIO_MMIO_DRIVER_FEATURES, static_cast<u32>(bit(VIRTIO_RING_F_EVENT_IDX)));
    CHECK(rig.transport.negotiated_features() == kVersion1);
    CHECK(rig.read(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FEATURES_OK);
}

TEST_CASE("virtio status: DRIVER_OK without FEATURES_OK is a driver error", "[virtio][status][hostile]") {
    ConsoleRig rig;
    rig.write(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_DRIVER_OK);
    require_broken(rig, DriverError::driver_ok_too_early);
    require_recovers(rig);
}

TEST_CASE("virtio status: nothing is processed before DRIVER_OK", "[virtio][status]") {
    ConsoleRig rig;
    REQUIRE(rig.negotiate(kVersion1));
    rig.setup_queue(0, rig.rx);
    rig.setup_queue(1, rig.tx);
    rig.send("early"); // kicked before DRIVER_OK: remembered, not processed
    CHECK(rig.drain() == 0);
    CHECK(rig.out.empty());
    CHECK(rig.tx.used_idx() == 0);
    rig.driver_ok();
    rig.drain();
    CHECK(rig.out == "early");
}

TEST_CASE("virtio status: the driver cannot clear status bits or set DEVICE_NEEDS_RESET", "[virtio][status]") {
    ConsoleRig rig;
    rig.bring_up();
    const u32 running = rig.read(VIRTIO_MMIO_STATUS);
    rig.write(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE); // tries to clear the others
    CHECK(rig.read(VIRTIO_MMIO_STATUS) == running);
    rig.write(VIRTIO_MMIO_STATUS, running | VIRTIO_CONFIG_S_NEEDS_RESET | 0x30); // device-owned and reserved bits
    CHECK(rig.read(VIRTIO_MMIO_STATUS) == running);
    CHECK_FALSE(rig.broken());
}

TEST_CASE("virtio status: FAILED stops the device", "[virtio][status]") {
    ConsoleRig rig;
    rig.bring_up();
    rig.write(VIRTIO_MMIO_STATUS, rig.read(VIRTIO_MMIO_STATUS) | VIRTIO_CONFIG_S_FAILED);
    rig.send("ignored");
    CHECK(rig.drain() == 0);
    CHECK(rig.out.empty());
}

TEST_CASE("virtio status: writing 0 resets the device", "[virtio][status]") {
    ConsoleRig rig(TransportLimits{}, ConsoleSize{80, 24});
    rig.bring_up(kVersion1 | bit(VIRTIO_RING_F_EVENT_IDX));
    rig.send("one");
    rig.drain();
    rig.console.resize({1, 1});
    REQUIRE(rig.read(VIRTIO_MMIO_INTERRUPT_STATUS) == (VIRTIO_MMIO_INT_VRING | VIRTIO_MMIO_INT_CONFIG));
    const u32 generation = rig.read(VIRTIO_MMIO_CONFIG_GENERATION);

    rig.reset_device();
    CHECK(rig.read(VIRTIO_MMIO_STATUS) == 0);
    CHECK(rig.read(VIRTIO_MMIO_INTERRUPT_STATUS) == 0);
    CHECK(rig.transport.negotiated_features() == 0);
    for (u32 q : {0u, 1u}) {
        rig.write(VIRTIO_MMIO_QUEUE_SEL, q);
        CHECK(rig.read(VIRTIO_MMIO_QUEUE_READY) == 0);
        CHECK(rig.transport.queue(static_cast<u16>(q)).layout().desc == 0);
    }
    CHECK(rig.read(VIRTIO_MMIO_CONFIG_GENERATION) == generation); // the configuration did not change
    // Old kicks are forgotten: nothing happens until the driver is back.
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    CHECK(rig.drain() == 0);

    // The rings start again at index 0.
    rig.bring_up();
    rig.out.clear();
    rig.send("two");
    rig.drain();
    CHECK(rig.out == "two");
    CHECK(rig.tx.used_idx() == 1);
}
