// SPDX-License-Identifier: GPL-2.0-only
// The virtio console (virtio 1.2, 5.3): receiving from the source into the
// driver's buffers, the per-chain transmit limit, emergency writes, and
// console resizes.
#include <catch2/catch.hpp>

#include "console_rig.hpp"

using namespace bh::virtio;
using namespace bh::virtio::test;

namespace {

constexpr u64 kBuf = ConsoleRig::kBuffers;

} // namespace

TEST_CASE("virtio console: input fills receive buffers", "[virtio][console]") {
    ConsoleRig rig;
    rig.bring_up();
    rig.offer_receive_buffer(kBuf, 8);
    rig.offer_receive_buffer(kBuf + 0x100, 8);
    rig.drain();
    CHECK(rig.rx.used_idx() == 0); // no input yet: buffers wait

    rig.in = "0123456789ab";
    rig.console.input_ready();
    rig.drain();
    REQUIRE(rig.rx.used_idx() == 2);
    CHECK(rig.rx.used_elem(0).len == 8);
    CHECK(rig.rx.used_elem(1).len == 4);
    CHECK(rig.rx.bytes_at(kBuf, 8) == "01234567");
    CHECK(rig.rx.bytes_at(kBuf + 0x100, 4) == "89ab");
    CHECK(rig.count(Interrupt::used_buffer) == 1); // one batch, one interrupt
    CHECK(rig.console.stats().received == 12);
}

TEST_CASE("virtio console: input waits for buffers, then a notify delivers it", "[virtio][console]") {
    ConsoleRig rig;
    rig.bring_up();
    rig.in = "typed early";
    rig.console.input_ready();
    CHECK_FALSE(rig.run().more); // no buffers: the device waits for a notify, it does not spin
    CHECK_FALSE(rig.run().more);
    rig.offer_receive_buffer(kBuf, 64);
    rig.drain();
    REQUIRE(rig.rx.used_idx() == 1);
    CHECK(rig.rx.bytes_at(kBuf, rig.rx.used_elem(0).len) == "typed early");
}

TEST_CASE("virtio console: a receive chain of several buffers", "[virtio][console]") {
    ConsoleRig rig;
    rig.bring_up();
    rig.rx.write_chain(0, {{kBuf, 3, true}, {kBuf + 0x40, 0, true}, {kBuf + 0x80, 5, true}});
    rig.rx.publish(0);
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    rig.in = "abcdefghij";
    rig.console.input_ready();
    rig.drain();
    REQUIRE(rig.rx.used_idx() == 1);
    CHECK(rig.rx.used_elem(0).len == 8);
    CHECK(rig.rx.bytes_at(kBuf, 3) == "abc");
    CHECK(rig.rx.bytes_at(kBuf + 0x80, 5) == "defgh");
    CHECK(rig.in.empty()); // "ij" staged in the device for the next buffer
    rig.offer_receive_buffer(kBuf + 0x100, 16);
    rig.drain();
    CHECK(rig.rx.bytes_at(kBuf + 0x100, rig.rx.used_elem(1).len) == "ij");
}

TEST_CASE("virtio console: more input than the device stages", "[virtio][console]") {
    ConsoleRig rig;
    rig.bring_up();
    const std::string big(3 * ConsoleDevice::kInputStage + 100, 'q');
    rig.in = big;
    rig.console.input_ready();
    unsigned delivered = 0;
    for (int round = 0; round < 64 && delivered < big.size(); ++round) {
        rig.offer_receive_buffer(kBuf, 4096);
        rig.drain();
        const u16 idx = rig.rx.used_idx();
        REQUIRE(idx > 0);
        delivered += rig.rx.used_elem(static_cast<u16>(idx - 1)).len;
    }
    CHECK(delivered == big.size());
    CHECK(rig.console.stats().received == big.size());
}

TEST_CASE("virtio console: a transmit chain is cut at the per-chain limit", "[virtio][console]") {
    // Four descriptors naming the same 32 KiB: 128 KiB of "output" from
    // 32 KiB of RAM. Only kMaxTransmitPerChain bytes go on.
    ConsoleRig rig;
    rig.bring_up();
    constexpr u32 kLen = 32 * 1024;
    rig.tx.write_chain(0, {{kBuf, kLen}, {kBuf, kLen}, {kBuf, kLen}, {kBuf, kLen}});
    rig.tx.publish(0);
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    rig.drain();
    CHECK(rig.out.size() == ConsoleDevice::kMaxTransmitPerChain);
    CHECK(rig.console.stats().tx_dropped == 4 * kLen - ConsoleDevice::kMaxTransmitPerChain);
    CHECK(rig.tx.used_idx() == 1);
    CHECK_FALSE(rig.broken());
}

TEST_CASE("virtio console: emergency writes work in any state", "[virtio][console]") {
    ConsoleRig rig;
    constexpr u32 kEmergWr = VIRTIO_MMIO_CONFIG + offsetof(virtio_console_config, emerg_wr);
    rig.transport.write(kEmergWr, 4, 'E');               // before any driver (5.3.5.1)
    rig.transport.write(kEmergWr, 4, 0x1234'5600 | 'm'); // only the low byte
    rig.transport.write(kEmergWr, 1, 'x');               // a 32-bit field: other widths ignored
    rig.transport.write(kEmergWr, 2, 'y');
    CHECK(rig.out == "Em");
    rig.write(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER_OK); // broken now
    REQUIRE(rig.broken());
    rig.transport.write(kEmergWr, 4, '!');
    CHECK(rig.out == "Em!");
    CHECK(rig.console.stats().emergency == 3);
}

TEST_CASE("virtio console: a resize is a configuration change", "[virtio][console]") {
    ConsoleRig rig(TransportLimits{}, ConsoleSize{80, 24});
    rig.bring_up(kVersion1 | bit(VIRTIO_CONSOLE_F_SIZE));
    const u32 generation = rig.read(VIRTIO_MMIO_CONFIG_GENERATION);
    rig.console.resize({120, 40});
    CHECK(rig.read(VIRTIO_MMIO_CONFIG_GENERATION) == generation + 1);
    CHECK(rig.count(Interrupt::config_change) == 1);
    CHECK(rig.transport.read(VIRTIO_MMIO_CONFIG, 2) == 120);
    CHECK(rig.transport.read(VIRTIO_MMIO_CONFIG + 2, 2) == 40);

    ConsoleRig unsized;
    unsized.bring_up();
    unsized.console.resize({120, 40}); // no F_SIZE offered: nothing to change
    CHECK(unsized.interrupts.empty());
    CHECK(unsized.transport.read(VIRTIO_MMIO_CONFIG, 4) == 0);
}

TEST_CASE("virtio console: a device reset drops staged input", "[virtio][console]") {
    ConsoleRig rig;
    rig.bring_up();
    rig.in = "for the old driver";
    rig.console.input_ready();
    rig.run(); // staged, no buffers
    rig.reset_device();
    rig.bring_up();
    rig.offer_receive_buffer(kBuf, 64);
    rig.drain();
    CHECK(rig.rx.used_idx() == 0);
    rig.in = "new";
    rig.console.input_ready();
    rig.drain();
    REQUIRE(rig.rx.used_idx() == 1);
    CHECK(rig.rx.bytes_at(kBuf, rig.rx.used_elem(0).len) == "new");
}
