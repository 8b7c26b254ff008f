// SPDX-License-Identifier: GPL-2.0-only
// A flood of notifications, and a driver that keeps its queues full: the
// work its backend does stays bounded per notification (a pending bit),
// per process() call (chains_per_round) and per second (the WorkBudget);
// more than idle_notify_limit notifies in a row with nothing new is a
// driver error (DEVICE_NEEDS_RESET).
#include "hostile.hpp"

using namespace bh::virtio;
using namespace bh::virtio::test;

namespace {

constexpr u64 kBuf = ConsoleRig::kBuffers;
constexpr u64 kMs = 1'000'000;

// Makes every free slot of the transmit ring available again.
void refill_tx(ConsoleRig& rig) {
    const u16 outstanding = static_cast<u16>(rig.tx.avail_idx() - rig.transport.queue(1).last_avail());
    for (u16 i = outstanding; i < ConsoleRig::kQueueSize; ++i) {
        const u16 head = static_cast<u16>(rig.tx.avail_idx() % ConsoleRig::kQueueSize);
        rig.tx.write_chain(head, {{kBuf, 1}});
        rig.tx.publish(head);
    }
}

} // namespace

TEST_CASE("virtio flood: notifications coalesce", "[virtio][hostile][flood]") {
    ConsoleRig rig;
    rig.bring_up();
    rig.tx.fill(kBuf, "x");
    refill_tx(rig);
    // One notify that has news, and as many more without as the limit allows.
    const u32 notifies = 1 + TransportLimits{}.idle_notify_limit;
    for (u32 i = 0; i < notifies; ++i) rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    CHECK(rig.transport.stats().notifies == notifies);
    // A thousand notifies, sixteen chains: sixteen chains of work.
    const ProcessResult r = rig.run();
    CHECK(r.chains == ConsoleRig::kQueueSize);
    CHECK_FALSE(r.more);
    CHECK(rig.out.size() == ConsoleRig::kQueueSize);
    CHECK(rig.run().chains == 0);
    CHECK_FALSE(rig.broken());
}

TEST_CASE("virtio flood: notifies with nothing new, past the limit, need a reset", "[virtio][hostile][flood]") {
    ConsoleRig rig;
    rig.bring_up();
    rig.tx.fill(kBuf, "x");
    refill_tx(rig);
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    CHECK(rig.run().chains == ConsoleRig::kQueueSize); // served before the flood
    SECTION("before the ring is served again") {
        for (int i = 0; i < 100'000 && !rig.broken(); ++i) rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    }
    SECTION("as doorbells the hypervisor posted") {
        for (int i = 0; i < 100'000 && !rig.broken(); ++i) rig.transport.notify(1);
    }
    CHECK(rig.transport.stats().notifies == 1 + TransportLimits{}.idle_notify_limit);
    REQUIRE(rig.broken());
    CHECK(rig.transport.error() == DriverError::notify_flood);
    CHECK(rig.count(Interrupt::config_change) == 1);
    CHECK(rig.run().chains == 0);
    rig.out.clear();
    rig.reset_device();
    rig.bring_up();
    rig.send("after the flood");
    rig.drain();
    CHECK(rig.out == "after the flood");
}

TEST_CASE("virtio flood: a driver that notifies after each new buffer is never cut off", "[virtio][flood]") {
    ConsoleRig rig(TransportLimits{64, 0, 1}); // no time budget: every chain is served at once
    rig.bring_up();
    for (int i = 0; i < 20'000; ++i) {
        rig.send("y"); // one chain, one notify, served
        rig.drain();
    }
    CHECK_FALSE(rig.broken());
    CHECK(rig.out.size() == 20'000);
}

TEST_CASE("virtio flood: the idle-notify limit can be turned off", "[virtio][flood]") {
    TransportLimits limits;
    limits.idle_notify_limit = 0;
    ConsoleRig rig(limits);
    rig.bring_up();
    for (int i = 0; i < 100'000; ++i) rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    CHECK_FALSE(rig.broken());
}

TEST_CASE("virtio flood: each process() call does at most chains_per_round", "[virtio][hostile][flood]") {
    ConsoleRig rig(TransportLimits{4, 0, 1});
    rig.bring_up();
    refill_tx(rig);
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    for (int call = 0; call < 4; ++call) {
        const ProcessResult r = rig.run();
        CHECK(r.chains == 4);
        CHECK(r.more); // stopped at the limit: even the last cannot know the ring is empty
        CHECK(r.wake_at_ns == 0);
    }
    CHECK(rig.run().chains == 0);
    CHECK(rig.tx.used_idx() == ConsoleRig::kQueueSize);
}

TEST_CASE("virtio flood: a driver that never stops is held to the budget per second", "[virtio][hostile][flood]") {
    constexpr u32 kRate = 200;
    constexpr u32 kBurst = 20;
    // The driver rings with nothing new whenever the budget holds the
    // device back: the idle-notify limit is off to see the budget alone.
    ConsoleRig rig(TransportLimits{16, kRate, kBurst, 0});
    rig.bring_up();
    u64 chains = 0;
    u64 calls_with_wake = 0;
    // Two simulated seconds; every millisecond the driver refills the ring
    // and rings the doorbell a hundred times, and the backend processes as
    // soon as it is told to.
    for (rig.now_ns = 0; rig.now_ns <= 2000 * kMs; rig.now_ns += kMs) {
        refill_tx(rig);
        for (int i = 0; i < 100; ++i) rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
        const ProcessResult r = rig.run();
        chains += r.chains;
        CHECK(r.chains <= 16);
        if (r.wake_at_ns) {
            ++calls_with_wake;
            CHECK(r.wake_at_ns > rig.now_ns);
            CHECK(r.wake_at_ns <= rig.now_ns + WorkBudget::kNsPerSecond / kRate);
        }
    }
    CHECK(chains <= kBurst + 2 * kRate + 1);
    CHECK(chains >= 2 * kRate); // and the budget is really spent, not starved
    CHECK(calls_with_wake > 0);
    CHECK(rig.tx.used_idx() == static_cast<u16>(chains));
    CHECK_FALSE(rig.broken());
}

TEST_CASE("virtio flood: resetting the device does not refill the budget", "[virtio][hostile][flood]") {
    ConsoleRig rig(TransportLimits{64, 10, 10});
    rig.bring_up();
    refill_tx(rig);
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    CHECK(rig.run().chains == 10);
    for (int i = 0; i < 5; ++i) {
        rig.reset_device();
        rig.bring_up();
        refill_tx(rig);
        rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
        CHECK(rig.run().chains == 0);
    }
    rig.now_ns += WorkBudget::kNsPerSecond;
    CHECK(rig.run().chains == 10);
}

TEST_CASE("virtio flood: both queues are served in turn", "[virtio][hostile][flood]") {
    // A transmit flood does not starve input: with two chains a round, each
    // queue gets its share.
    ConsoleRig rig(TransportLimits{2, 0, 1});
    rig.bring_up();
    refill_tx(rig);
    rig.write(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    for (u16 i = 0; i < 4; ++i) rig.offer_receive_buffer(kBuf + 0x100u * (i + 1), 1);
    rig.in = "abcd";
    rig.console.input_ready();
    for (int call = 0; call < 4; ++call) rig.run();
    CHECK(rig.rx.used_idx() >= 3);
    CHECK(rig.tx.used_idx() >= 3);
}
