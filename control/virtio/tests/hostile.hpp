// SPDX-License-Identifier: GPL-2.0-only
// What every hostile-driver test ends with: the device refused the driver
// (DEVICE_NEEDS_RESET, the rule it broke, a configuration-change interrupt,
// nothing returned in the used rings), it stays stopped whatever the driver
// does next short of a reset, and after a reset it works again.
#pragma once

#include <catch2/catch.hpp>

#include <vector>

#include "console_rig.hpp"

namespace bh::virtio::test {

inline void require_broken(ConsoleRig& rig, DriverError why) {
    INFO("expected: " << describe(why) << ", got: " << describe(rig.transport.error()));
    REQUIRE(rig.broken());
    CHECK(rig.transport.error() == why);
    CHECK(rig.read(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET);
    if (rig.read(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DRIVER_OK) {
        CHECK(rig.count(Interrupt::config_change) == 1);
        CHECK(rig.read(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG);
    }
    CHECK(rig.tx.used_idx() == 0);
    CHECK(rig.rx.used_idx() == 0);

    // Stopped: notifies and processing no longer touch the zone's RAM.
    const std::vector<u8> before = rig.mem.raw();
    for (u32 q = 0; q < 3; ++q) rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, q);
    rig.in = "typed";
    rig.console.input_ready();
    CHECK(rig.drain() == 0);
    CHECK(rig.mem.raw() == before);
    CHECK(rig.broken());
}

inline void require_recovers(ConsoleRig& rig, u64 features = kVersion1) {
    rig.reset_device();
    CHECK(rig.read(VIRTIO_MMIO_STATUS) == 0);
    CHECK(rig.read(VIRTIO_MMIO_INTERRUPT_STATUS) == 0);
    CHECK(rig.transport.error() == DriverError::none);
    rig.bring_up(features);
    REQUIRE_FALSE(rig.broken());
    rig.out.clear();
    rig.send("alive again");
    rig.drain();
    CHECK(rig.out == "alive again");
    CHECK(rig.tx.used_idx() == 1);
}

} // namespace bh::virtio::test
