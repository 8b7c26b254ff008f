// SPDX-License-Identifier: GPL-2.0-only
// A hostile driver of the zone's own virtio-console (slot 0), launched by
// zoned as a zone's "kernel" (an IMAGE guest; control-domain.hostile-virtio
// runs it in a booted node). Each case resets the device, brings it up
// properly, breaks one split-ring rule and then polls Status, bounded in
// counter time, for what the backend's contract says (control/README.md,
// "What a hostile driver gets"; control/virtio/tests/test_hostile_*.cpp,
// test_notify_flood.cpp): DEVICE_NEEDS_RESET with a configuration-change
// interrupt and nothing used, and the device stays stopped until reset
// (a notify for a queue that does not exist among them, and a flood of
// notifies with nothing new after the ring was served). One line per
// case on the PL011; at the end the device is reset and brought up once
// more and says so through its transmit queue (the zone's console log).
// Exit status 0 if every case behaved as the contract says, else 1.
#include <bulkhead/abi/linux_boot.h>

#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/layout.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/virtio.hpp>
#include <guest/zone.hpp>

using namespace bh;
using virtio::feature;
using virtio::Queue;
using ull = unsigned long long;

namespace {

constexpr u64 kPresentMs = 60'000; // for the backend to start serving the slot
constexpr u64 kReactMs = 10'000;   // for the device to act on a notify
constexpr u16 kQueueSize = 16;
constexpr u32 kFloodNotifies = 100'000;
constexpr u16 kReceiveQueue = 0, kTransmitQueue = 1; // virtio-console port 0
constexpr u64 kVersion1 = feature(VIRTIO_F_VERSION_1);
constexpr u64 kIndirect = kVersion1 | feature(VIRTIO_RING_F_INDIRECT_DESC);

alignas(4096) u8 ring_memory[2][Queue::kBytes];
alignas(4096) u8 indirect_table[4096];
alignas(64) char scratch[64]; // a harmless buffer for malformed chains to name

constexpr virtio::Device device(virtio::slot(0));
Queue queues[2];
Queue& rx = queues[kReceiveQueue];
Queue& tx = queues[kTransmitQueue];
u64 ram_end = 0; // the zone's RAM is [kRamBase, ram_end)

u64 addr(const void* p) { return reinterpret_cast<uptr>(p); }
u64 elapsed_ms(u64 since) { return timer::ticks_to_ns(timer::counter() - since) / 1'000'000; }
usize length(const char* s) {
    usize n = 0;
    while (s[n]) ++n;
    return n;
}

bool needs_reset() { return device.status() & VIRTIO_CONFIG_S_NEEDS_RESET; }

// The device reset and brought up with both queues; an ERROR if it cannot
// be: then nothing this zone finds means anything.
void start(u64 features) {
    if (const char* why = device.bring_up(features, queues, 2)) test::error("bringing the device up: %s", why);
}

// Sends `text` as one chain on the transmit queue and waits for it to be used.
bool transmit(const char* text, u16 desc_index) {
    const u16 used = tx.used_idx();
    tx.set_desc(desc_index, addr(text), static_cast<u32>(length(text)));
    tx.publish(desc_index);
    device.notify(kTransmitQueue);
    return timer::wait_for([&] { return tx.used_idx() == static_cast<u16>(used + 1); }, kReactMs);
}

// What every malformed case must end in: DEVICE_NEEDS_RESET, told with a
// configuration-change interrupt (DRIVER_OK is set), nothing in the used
// rings, and the device stopped whatever the driver does next.
void expect_needs_reset(const char* name) {
    const u32 failures = test::failures();
    const u64 t0 = timer::counter();
    if (!test::check(timer::wait_for(needs_reset, kReactMs), "%s: no DEVICE_NEEDS_RESET in %llu ms (Status 0x%x)", name,
                     static_cast<ull>(kReactMs), device.status()))
        return;
    const u64 ms = elapsed_ms(t0);
    test::check(device.read(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG,
                "%s: no configuration-change interrupt (InterruptStatus 0x%x)", name,
                device.read(VIRTIO_MMIO_INTERRUPT_STATUS));
    test::check(tx.used_idx() == 0 && rx.used_idx() == 0, "%s: buffers used (tx %u, rx %u)", name, tx.used_idx(),
                rx.used_idx());
    // Stopped: a good chain and a notify change nothing.
    tx.set_desc(kQueueSize - 1, addr(scratch), 1);
    tx.publish(kQueueSize - 1);
    device.notify(kTransmitQueue);
    // The backend answers a read after the posted notify before it, and
    // runs its queues before it takes the next batch of requests: after
    // two reads, a device that ran on would have used the chain.
    const bool stopped = needs_reset() && needs_reset();
    test::check(stopped && tx.used_idx() == 0, "%s: the device ran on after DEVICE_NEEDS_RESET", name);
    if (test::failures() == failures)
        print("hostile-virtio: %s: ok, DEVICE_NEEDS_RESET after %llu ms\n", name, static_cast<ull>(ms));
}

// The malformed cases: each brings the device up, breaks one rule and
// expects DEVICE_NEEDS_RESET.

void descriptor_loop() {
    start(kVersion1);
    tx.set_desc(0, addr(scratch), 8, VRING_DESC_F_NEXT, 1);
    tx.set_desc(1, addr(scratch), 8, VRING_DESC_F_NEXT, 0);
    tx.publish(0);
    device.notify(kTransmitQueue);
}

// One buffer of the transmit queue at [at, at + len).
void one_buffer(u64 at, u32 len) {
    start(kVersion1);
    tx.set_desc(0, at, len);
    tx.publish(0);
    device.notify(kTransmitQueue);
}

void buffer_below_ram() { one_buffer(0x1000, 16); }
void buffer_past_ram() { one_buffer(ram_end, 16); }
void buffer_straddling_ram_end() { one_buffer(ram_end - 8, 16); }
void length_wraps() { one_buffer(~u64{0} - 0xf, 0x20); }

void second_buffer_outside_ram() {
    start(kVersion1);
    tx.set_desc(0, addr(scratch), 4, VRING_DESC_F_NEXT, 1);
    tx.set_desc(1, ram_end + 0x10000, 4);
    tx.publish(0);
    device.notify(kTransmitQueue);
}

void avail_index_beyond_ring() {
    start(kVersion1);
    for (u16 i = 0; i < kQueueSize; ++i) tx.set_desc(i, addr(scratch), 1);
    tx.set_avail_idx(kQueueSize + 1);
    device.notify(kTransmitQueue);
}

void head_out_of_range() {
    start(kVersion1);
    tx.publish(kQueueSize + 3);
    device.notify(kTransmitQueue);
}

// The transmit queue's head 0 names the indirect table (`len` bytes).
void indirect(u32 len) {
    start(kIndirect);
    tx.set_desc(0, addr(indirect_table), len, VRING_DESC_F_INDIRECT);
    tx.publish(0);
    device.notify(kTransmitQueue);
}

void indirect_bad_length() {
    Queue::set_desc_in(addr(indirect_table), 0, addr(scratch), 8, VRING_DESC_F_NEXT, 1);
    Queue::set_desc_in(addr(indirect_table), 1, addr(scratch), 8);
    indirect(24); // not a multiple of 16
}

void indirect_nested() {
    Queue::set_desc_in(addr(indirect_table), 0, addr(scratch), 8, VRING_DESC_F_NEXT, 1);
    Queue::set_desc_in(addr(indirect_table), 1, addr(indirect_table), 32, VRING_DESC_F_INDIRECT); // itself again
    indirect(32);
}

void indirect_loop() {
    Queue::set_desc_in(addr(indirect_table), 0, addr(scratch), 8, VRING_DESC_F_NEXT, 1);
    Queue::set_desc_in(addr(indirect_table), 1, addr(scratch), 8, VRING_DESC_F_NEXT, 0);
    indirect(32);
}

// A ring outside RAM is refused at QueueReady, before DRIVER_OK; the
// driver is told once it sets DRIVER_OK.
void ring_outside_ram() {
    if (const char* why = device.negotiate(kVersion1)) test::error("negotiating: %s", why);
    rx.clear();
    tx.clear();
    test::check(device.setup_queue(rx), "ring-outside-ram: the receive queue was refused");
    Queue bad = tx;
    bad.desc = ram_end;
    test::check(!device.setup_queue(bad), "ring-outside-ram: QueueReady reads 1 for a table outside RAM");
    test::check(needs_reset(), "ring-outside-ram: no DEVICE_NEEDS_RESET at QueueReady");
    device.driver_ok();
}

// A notify naming a queue the device does not have (the console has two).
void notify_queue(u32 queue) {
    start(kVersion1);
    device.notify(queue);
}
void notify_queue_2() { notify_queue(2); }
void notify_queue_ffff() { notify_queue(0xffff); }
void notify_queue_ffffffff() { notify_queue(0xffff'ffff); }

struct MalformedCase {
    const char* name;
    void (*run)();
};

constexpr MalformedCase kMalformed[] = {
    {"descriptor-loop", descriptor_loop},
    {"buffer-below-ram", buffer_below_ram},
    {"buffer-past-ram", buffer_past_ram},
    {"buffer-straddling-ram-end", buffer_straddling_ram_end},
    {"second-buffer-outside-ram", second_buffer_outside_ram},
    {"length-wraps", length_wraps},
    {"avail-index-beyond-ring", avail_index_beyond_ring},
    {"head-out-of-range", head_out_of_range},
    {"indirect-bad-length", indirect_bad_length},
    {"indirect-nested", indirect_nested},
    {"indirect-loop", indirect_loop},
    {"ring-outside-ram", ring_outside_ram},
    {"notify-queue-2", notify_queue_2},
    {"notify-queue-0xffff", notify_queue_ffff},
    {"notify-queue-0xffffffff", notify_queue_ffffffff},
};

// A full transmit ring, rung once and served (every chain exactly once:
// the zone's log has kQueueSize "flood chain" lines); then a hundred
// thousand notifies with nothing new: past the transport's limit of idle
// notifies in a row the device needs a reset, tells the driver, and
// serves again after one.
void notify_flood(const char* name) {
    static const char kChain[] = "hostile-virtio: flood chain\n";
    const u32 failures = test::failures();
    start(kVersion1);
    for (u16 i = 0; i < kQueueSize; ++i) {
        tx.set_desc(i, addr(kChain), sizeof kChain - 1);
        tx.publish(i);
    }
    device.notify(kTransmitQueue);
    const bool all_used = timer::wait_for([] { return tx.used_idx() == kQueueSize; }, kReactMs);
    test::check(all_used, "%s: %u of %u chains used", name, tx.used_idx(), kQueueSize);
    const u64 t0 = timer::counter();
    for (u32 i = 0; i < kFloodNotifies; ++i) device.notify(kTransmitQueue);
    const u64 flood_ms = elapsed_ms(t0);
    test::check(timer::wait_for(needs_reset, kReactMs), "%s: no DEVICE_NEEDS_RESET (Status 0x%x)", name,
                device.status());
    test::check(device.read(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG,
                "%s: no configuration-change interrupt", name);
    test::check(tx.used_idx() == kQueueSize, "%s: %u chains used, not %u", name, tx.used_idx(), kQueueSize);
    start(kVersion1);
    test::check(transmit("hostile-virtio: the device serves after the flood\n", 0),
                "%s: the device does not serve after a reset", name);
    if (test::failures() == failures)
        print("hostile-virtio: %s: ok, %u chains used once, %u idle notifies in %llu ms: DEVICE_NEEDS_RESET\n", name,
              kQueueSize, kFloodNotifies, static_cast<ull>(flood_ms));
}

// Runs one case: it prints its "ok" line, or this prints FAILED.
template <typename F>
void run_case(const char* name, F body) {
    const u32 before = test::failures();
    body();
    if (test::failures() != before) print("hostile-virtio: %s: FAILED\n", name);
}

} // namespace

extern "C" void zone_main(u64 x0) {
    test::begin("hostile-virtio");
    const hc::ZoneSelf self = hc::zone_self();
    if (self.status != BH_OK) test::error("ZONE_SELF: status %lld", static_cast<long long>(self.status));
    ram_end = kRamBase + self.memory_bytes;
    // zoned's launch (BH_HC_ZONE_BOOT_LINUX) put the device tree in the
    // last 64 KiB of that RAM and passed it in x0.
    if (x0 != ram_end - BH_LINUX_BOOT_FDT_BYTES)
        test::error("x0 = 0x%llx, not the device tree at the top of RAM: not launched by zoned?", static_cast<ull>(x0));
    print("hostile-virtio: RAM [0x%llx, 0x%llx)\n", static_cast<ull>(kRamBase), static_cast<ull>(ram_end));
    rx.place(kReceiveQueue, kQueueSize, addr(ring_memory[kReceiveQueue]));
    tx.place(kTransmitQueue, kQueueSize, addr(ring_memory[kTransmitQueue]));
    if (!device.wait_present(VIRTIO_ID_CONSOLE, kPresentMs))
        test::error("no virtio-console in slot 0 after %llu ms", static_cast<ull>(kPresentMs));

    for (const MalformedCase& c : kMalformed)
        run_case(c.name, [&] {
            c.run();
            expect_needs_reset(c.name);
        });
    run_case("notify-flood", [] { notify_flood("notify-flood"); });

    // The device is still the zone's: reset, brought up, it carries a line
    // to the zone's console log.
    start(kVersion1);
    if (test::check(transmit("hostile-virtio: device still serves\n", 0), "the device does not serve after a reset"))
        print("hostile-virtio: device still serves\n");
    print("hostile-virtio: %u failed expectations\n", test::failures());
    test::finish();
}
