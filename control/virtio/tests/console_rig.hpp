// SPDX-License-Identifier: GPL-2.0-only
// A zone's RAM, a virtio console behind a virtio-mmio transport, and a test
// driver that talks to it through the registers as Linux's virtio_mmio and
// virtio_console drivers do. Transmitted bytes collect in `out`; bytes
// queued in `in` are what the console's source delivers; every interrupt
// raised is recorded.
#pragma once

#include <bulkhead/virtio/console_device.hpp>
#include <bulkhead/virtio/mmio_transport.hpp>
#include <bulkhead/virtio/vector_guest_memory.hpp>

#include <optional>
#include <string>
#include <vector>

#include "driver_queue.hpp"

namespace bh::virtio::test {

inline constexpr u64 bit(unsigned n) { return u64{1} << n; }

// VERSION_1 alone: the least a driver can accept.
inline constexpr u64 kVersion1 = bit(VIRTIO_F_VERSION_1);

class ConsoleRig {
  public:
    static constexpr u64 kBase = 0x4000'0000;
    static constexpr usize kSize = 0x10000;
    static constexpr u16 kQueueSize = 16;
    static constexpr u64 kTables = kBase + 0x2000;  // room for indirect tables
    static constexpr u64 kBuffers = kBase + 0x4000; // room for data buffers

    explicit ConsoleRig(TransportLimits limits = {}, std::optional<ConsoleSize> size = std::nullopt);

    u32 read(u32 offset) { return static_cast<u32>(transport.read(offset, 4)); }
    void write(u32 offset, u32 value) { transport.write(offset, 4, value); }

    // ACKNOWLEDGE, DRIVER, the features, FEATURES_OK; whether the device
    // kept FEATURES_OK.
    bool negotiate(u64 features);
    // Programs queue `q` from `dq` and sets QueueReady.
    void setup_queue(u16 q, const DriverQueue& dq);
    void driver_ok();
    // The whole initialisation of 3.1.1 with both queues, from a reset.
    void bring_up(u64 features = kVersion1);
    void reset_device() { write(VIRTIO_MMIO_STATUS, 0); }

    // One transmit chain with `text` in one buffer, published and notified.
    void send(std::string_view text, u64 at = kBuffers);
    // A receive buffer of `len` bytes at `at`, published and notified.
    void offer_receive_buffer(u64 at, u32 len);

    ProcessResult run() { return transport.process(now_ns); }
    // Runs process() until it reports no work left (bounded by `rounds`).
    unsigned drain(unsigned rounds = 1000);

    bool broken() const { return transport.needs_reset(); }
    unsigned count(Interrupt cause) const;

    VectorGuestMemory mem{kBase, kSize};
    std::string out;
    std::string in;
    std::vector<Interrupt> interrupts;
    ConsoleDevice console;
    MmioTransport transport;
    DriverQueue rx;
    DriverQueue tx;
    u64 now_ns = 0;
};

} // namespace bh::virtio::test
