// SPDX-License-Identifier: GPL-2.0-only
#include "console_rig.hpp"

#include <algorithm>
#include <cstring>

namespace bh::virtio::test {

ConsoleRig::ConsoleRig(TransportLimits limits, std::optional<ConsoleSize> size)
    : console([this](std::span<const u8> b) { out.append(reinterpret_cast<const char*>(b.data()), b.size()); },
              [this](std::span<u8> b) {
                  const usize n = std::min(b.size(), in.size());
                  std::memcpy(b.data(), in.data(), n);
                  in.erase(0, n);
                  return n;
              },
              size),
      transport(
          mem, console, [this](Interrupt i) { interrupts.push_back(i); }, limits),
      rx(mem, kBase + 0x0000, kBase + 0x0400, kBase + 0x0800, kQueueSize),
      tx(mem, kBase + 0x1000, kBase + 0x1400, kBase + 0x1800, kQueueSize) {}

bool ConsoleRig::negotiate(u64 features) {
    write(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    write(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    for (u32 sel = 0; sel < 2; ++sel) {
        write(VIRTIO_MMIO_DRIVER_FEATURES_SEL, sel);
        write(VIRTIO_MMIO_DRIVER_FEATURES, static_cast<u32>(features >> (32 * sel)));
    }
    write(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
    return read(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FEATURES_OK;
}

void ConsoleRig::setup_queue(u16 q, const DriverQueue& dq) {
    write(VIRTIO_MMIO_QUEUE_SEL, q);
    write(VIRTIO_MMIO_QUEUE_NUM, dq.size());
    write(VIRTIO_MMIO_QUEUE_DESC_LOW, static_cast<u32>(dq.desc()));
    write(VIRTIO_MMIO_QUEUE_DESC_HIGH, static_cast<u32>(dq.desc() >> 32));
    write(VIRTIO_MMIO_QUEUE_AVAIL_LOW, static_cast<u32>(dq.avail()));
    write(VIRTIO_MMIO_QUEUE_AVAIL_HIGH, static_cast<u32>(dq.avail() >> 32));
    write(VIRTIO_MMIO_QUEUE_USED_LOW, static_cast<u32>(dq.used()));
    write(VIRTIO_MMIO_QUEUE_USED_HIGH, static_cast<u32>(dq.used() >> 32));
    write(VIRTIO_MMIO_QUEUE_READY, 1);
}

void ConsoleRig::driver_ok() { write(VIRTIO_MMIO_STATUS, read(VIRTIO_MMIO_STATUS) | VIRTIO_CONFIG_S_DRIVER_OK); }

void ConsoleRig::bring_up(u64 features) {
    // As Linux's virtio core at probe: reset first. A driver allocates its
    // rings zeroed; so does this one, every time.
    reset_device();
    std::fill(mem.raw().begin(), mem.raw().begin() + 0x2000, u8{0});
    negotiate(features);
    setup_queue(ConsoleDevice::kReceiveQueue, rx);
    setup_queue(ConsoleDevice::kTransmitQueue, tx);
    driver_ok();
}

void ConsoleRig::send(std::string_view text, u64 at) {
    tx.fill(at, text);
    const u16 head = static_cast<u16>(tx.avail_idx() % kQueueSize);
    tx.write_chain(head, {{at, static_cast<u32>(text.size())}});
    tx.publish(head);
    write(VIRTIO_MMIO_QUEUE_NOTIFY, ConsoleDevice::kTransmitQueue);
}

void ConsoleRig::offer_receive_buffer(u64 at, u32 len) {
    const u16 head = static_cast<u16>(rx.avail_idx() % kQueueSize);
    rx.write_chain(head, {{at, len, true}});
    rx.publish(head);
    write(VIRTIO_MMIO_QUEUE_NOTIFY, ConsoleDevice::kReceiveQueue);
}

unsigned ConsoleRig::drain(unsigned rounds) {
    unsigned n = 0;
    while (n < rounds && run().more) ++n;
    return n;
}

unsigned ConsoleRig::count(Interrupt cause) const {
    return static_cast<unsigned>(std::count(interrupts.begin(), interrupts.end(), cause));
}

} // namespace bh::virtio::test
