// SPDX-License-Identifier: GPL-2.0-only
// Every register of the virtio-mmio transport (virtio 1.2, 4.2.2, version
// 2 layout), and what happens to accesses the driver must not make: wrong
// widths, misaligned offsets, unknown offsets, writes to read-only and
// reads of write-only registers (read 0, write nothing, counted).
#include <catch2/catch.hpp>

#include "console_rig.hpp"

using namespace bh::virtio;
using namespace bh::virtio::test;

TEST_CASE("virtio mmio: identification registers", "[virtio][mmio]") {
    ConsoleRig rig;
    CHECK(rig.read(VIRTIO_MMIO_MAGIC_VALUE) == 0x74726976);
    CHECK(rig.read(VIRTIO_MMIO_VERSION) == 2);
    CHECK(rig.read(VIRTIO_MMIO_DEVICE_ID) == VIRTIO_ID_CONSOLE);
    CHECK(rig.read(VIRTIO_MMIO_VENDOR_ID) == MmioTransport::kVendorId);
    // Read-only: writes change nothing.
    rig.write(VIRTIO_MMIO_MAGIC_VALUE, 0);
    rig.write(VIRTIO_MMIO_DEVICE_ID, 9);
    CHECK(rig.read(VIRTIO_MMIO_MAGIC_VALUE) == 0x74726976);
    CHECK(rig.read(VIRTIO_MMIO_DEVICE_ID) == VIRTIO_ID_CONSOLE);
    CHECK(rig.transport.stats().ignored_accesses == 2);
}

TEST_CASE("virtio mmio: DeviceFeatures by DeviceFeaturesSel", "[virtio][mmio]") {
    ConsoleRig rig(TransportLimits{}, ConsoleSize{80, 24});
    rig.write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    const u32 low = rig.read(VIRTIO_MMIO_DEVICE_FEATURES);
    CHECK(low == (bit(VIRTIO_CONSOLE_F_SIZE) | bit(VIRTIO_CONSOLE_F_EMERG_WRITE) | bit(VIRTIO_RING_F_INDIRECT_DESC) |
                  bit(VIRTIO_RING_F_EVENT_IDX)));
    CHECK_FALSE(low & bit(VIRTIO_CONSOLE_F_MULTIPORT));
    rig.write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    CHECK(rig.read(VIRTIO_MMIO_DEVICE_FEATURES) == 1); // VIRTIO_F_VERSION_1 is bit 32
    for (u32 sel : {2u, 3u, 0xffff'ffffu}) {
        rig.write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, sel);
        CHECK(rig.read(VIRTIO_MMIO_DEVICE_FEATURES) == 0);
    }
    ConsoleRig unsized;
    CHECK_FALSE(unsized.read(VIRTIO_MMIO_DEVICE_FEATURES) & bit(VIRTIO_CONSOLE_F_SIZE));
}

TEST_CASE("virtio mmio: queue registers follow QueueSel", "[virtio][mmio]") {
    ConsoleRig rig;
    for (u32 q : {0u, 1u}) {
        rig.write(VIRTIO_MMIO_QUEUE_SEL, q);
        CHECK(rig.read(VIRTIO_MMIO_QUEUE_NUM_MAX) == ConsoleDevice::kQueueSize);
        CHECK(rig.read(VIRTIO_MMIO_QUEUE_READY) == 0);
    }
    // A queue that does not exist: QueueNumMax 0 (4.2.2), the rest ignored.
    rig.write(VIRTIO_MMIO_QUEUE_SEL, 2);
    CHECK(rig.read(VIRTIO_MMIO_QUEUE_NUM_MAX) == 0);
    rig.write(VIRTIO_MMIO_QUEUE_NUM, 16);
    rig.write(VIRTIO_MMIO_QUEUE_READY, 1);
    CHECK(rig.read(VIRTIO_MMIO_QUEUE_READY) == 0);
    CHECK_FALSE(rig.broken());

    REQUIRE(rig.negotiate(kVersion1));
    rig.setup_queue(1, rig.tx);
    const QueueLayout& l = rig.transport.queue(1).layout();
    CHECK(l.size == 16);
    CHECK(l.desc == rig.tx.desc());
    CHECK(l.avail == rig.tx.avail());
    CHECK(l.used == rig.tx.used());
    CHECK(rig.read(VIRTIO_MMIO_QUEUE_READY) == 1);
    rig.write(VIRTIO_MMIO_QUEUE_SEL, 0);
    CHECK(rig.read(VIRTIO_MMIO_QUEUE_READY) == 0);

    // 4.2.2.2: a ready queue's layout registers must not be written; if
    // they are, the queue keeps the layout it was checked with.
    rig.write(VIRTIO_MMIO_QUEUE_SEL, 1);
    rig.write(VIRTIO_MMIO_QUEUE_NUM, 3);
    rig.write(VIRTIO_MMIO_QUEUE_DESC_LOW, 0);
    rig.write(VIRTIO_MMIO_QUEUE_USED_HIGH, 0xffff'ffff);
    CHECK(l.size == 16);
    CHECK(l.desc == rig.tx.desc());
    CHECK(l.used == rig.tx.used());

    // QueueReady = 0 stops the queue; its layout can then change.
    rig.write(VIRTIO_MMIO_QUEUE_READY, 0);
    CHECK(rig.read(VIRTIO_MMIO_QUEUE_READY) == 0);
    rig.write(VIRTIO_MMIO_QUEUE_NUM, 8);
    CHECK(l.size == 8);
}

TEST_CASE("virtio mmio: write-only registers read as 0", "[virtio][mmio]") {
    ConsoleRig rig;
    rig.bring_up();
    for (u32 off :
         {VIRTIO_MMIO_DEVICE_FEATURES_SEL, VIRTIO_MMIO_DRIVER_FEATURES, VIRTIO_MMIO_DRIVER_FEATURES_SEL,
          VIRTIO_MMIO_QUEUE_SEL, VIRTIO_MMIO_QUEUE_NUM, VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_MMIO_INTERRUPT_ACK,
          VIRTIO_MMIO_QUEUE_DESC_LOW, VIRTIO_MMIO_QUEUE_DESC_HIGH, VIRTIO_MMIO_QUEUE_AVAIL_LOW,
          VIRTIO_MMIO_QUEUE_AVAIL_HIGH, VIRTIO_MMIO_QUEUE_USED_LOW, VIRTIO_MMIO_QUEUE_USED_HIGH, VIRTIO_MMIO_SHM_SEL}) {
        INFO("offset " << off);
        CHECK(rig.read(off) == 0);
    }
}

TEST_CASE("virtio mmio: unknown offsets, wrong widths and misaligned accesses", "[virtio][mmio]") {
    ConsoleRig rig;
    rig.bring_up();
    const u32 status = rig.read(VIRTIO_MMIO_STATUS);
    // Legacy (version 1) registers, QueueReset (VIRTIO_F_RING_RESET is not
    // offered), holes in the layout.
    for (u32 off : std::initializer_list<u32>{VIRTIO_MMIO_GUEST_PAGE_SIZE, VIRTIO_MMIO_QUEUE_ALIGN,
                                              VIRTIO_MMIO_QUEUE_PFN, 0x0c0u, 0x018u, 0x048u, 0x0f8u}) {
        INFO("offset " << off);
        CHECK(rig.read(off) == 0);
        rig.write(off, 0xffff'ffff);
    }
    // Control registers take 32-bit aligned accesses only.
    for (u8 size : {1, 2, 8, 3, 0}) {
        INFO("size " << int{size});
        CHECK(rig.transport.read(VIRTIO_MMIO_MAGIC_VALUE, size) == 0);
        CHECK(rig.transport.read(VIRTIO_MMIO_STATUS, size) == 0);
        rig.transport.write(VIRTIO_MMIO_STATUS, size, 0); // would be a reset
        rig.transport.write(VIRTIO_MMIO_QUEUE_NOTIFY, size, 1);
    }
    CHECK(rig.transport.read(VIRTIO_MMIO_MAGIC_VALUE + 1, 4) == 0);
    rig.transport.write(VIRTIO_MMIO_STATUS + 2, 4, 0);
    // Past the window.
    CHECK(rig.transport.read(MmioTransport::kWindowSize, 4) == 0);
    CHECK(rig.transport.read(~u64{0} - 3, 4) == 0);
    rig.transport.write(MmioTransport::kWindowSize + VIRTIO_MMIO_STATUS, 4, 0);

    CHECK(rig.read(VIRTIO_MMIO_STATUS) == status); // nothing reset it
    CHECK(rig.transport.stats().notifies == 0);
    CHECK(rig.transport.stats().ignored_accesses >= 7 * 2 + 5 * 4 + 5);
    CHECK_FALSE(rig.broken());
}

TEST_CASE("virtio mmio: shared memory registers say there is no region", "[virtio][mmio]") {
    ConsoleRig rig;
    rig.write(VIRTIO_MMIO_SHM_SEL, 0);
    for (u32 off :
         {VIRTIO_MMIO_SHM_LEN_LOW, VIRTIO_MMIO_SHM_LEN_HIGH, VIRTIO_MMIO_SHM_BASE_LOW, VIRTIO_MMIO_SHM_BASE_HIGH})
        CHECK(rig.read(off) == 0xffff'ffff);
}

TEST_CASE("virtio mmio: InterruptStatus and InterruptACK", "[virtio][mmio]") {
    ConsoleRig rig(TransportLimits{}, ConsoleSize{80, 24});
    rig.bring_up();
    CHECK(rig.read(VIRTIO_MMIO_INTERRUPT_STATUS) == 0);
    rig.send("a");
    rig.drain();
    CHECK(rig.read(VIRTIO_MMIO_INTERRUPT_STATUS) == VIRTIO_MMIO_INT_VRING);
    CHECK(rig.count(Interrupt::used_buffer) == 1);
    rig.console.resize({100, 30});
    CHECK(rig.read(VIRTIO_MMIO_INTERRUPT_STATUS) == (VIRTIO_MMIO_INT_VRING | VIRTIO_MMIO_INT_CONFIG));
    CHECK(rig.count(Interrupt::config_change) == 1);
    // Acknowledging one cause leaves the other; unknown bits do nothing.
    rig.write(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING | 0xfff0);
    CHECK(rig.read(VIRTIO_MMIO_INTERRUPT_STATUS) == VIRTIO_MMIO_INT_CONFIG);
    rig.write(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_CONFIG);
    CHECK(rig.read(VIRTIO_MMIO_INTERRUPT_STATUS) == 0);
    // InterruptStatus is read-only.
    rig.write(VIRTIO_MMIO_INTERRUPT_STATUS, 3);
    CHECK(rig.read(VIRTIO_MMIO_INTERRUPT_STATUS) == 0);
}

TEST_CASE("virtio mmio: configuration space and ConfigGeneration", "[virtio][mmio]") {
    ConsoleRig rig(TransportLimits{}, ConsoleSize{132, 43});
    constexpr u32 kConfig = VIRTIO_MMIO_CONFIG;
    CHECK(rig.transport.read(kConfig + 0, 2) == 132); // cols
    CHECK(rig.transport.read(kConfig + 2, 2) == 43);  // rows
    CHECK(rig.transport.read(kConfig + 0, 4) == (132u | 43u << 16));
    CHECK(rig.transport.read(kConfig + 0, 1) == 132);
    CHECK(rig.transport.read(kConfig + 3, 1) == 0);
    CHECK(rig.transport.read(kConfig + 4, 4) == 1); // max_nr_ports
    CHECK(rig.transport.read(kConfig + 8, 4) == 0); // emerg_wr reads 0
    // Misaligned, too wide, or past the 12-byte configuration: 0.
    CHECK(rig.transport.read(kConfig + 1, 2) == 0);
    CHECK(rig.transport.read(kConfig + 2, 4) == 0);
    CHECK(rig.transport.read(kConfig + 0, 8) == 0);
    CHECK(rig.transport.read(kConfig + 12, 1) == 0);
    CHECK(rig.transport.read(kConfig + 0xfc, 4) == 0);
    // Read-only fields stay as they are.
    rig.transport.write(kConfig + 0, 2, 1);
    CHECK(rig.transport.read(kConfig + 0, 2) == 132);

    const u32 generation = rig.read(VIRTIO_MMIO_CONFIG_GENERATION);
    CHECK(rig.read(VIRTIO_MMIO_CONFIG_GENERATION) == generation); // stable while nothing changes
    rig.console.resize({80, 25});
    CHECK(rig.read(VIRTIO_MMIO_CONFIG_GENERATION) != generation);
    CHECK(rig.transport.read(kConfig + 0, 4) == (80u | 25u << 16));
    CHECK(rig.interrupts.empty()); // no driver yet: no configuration-change interrupt
}
