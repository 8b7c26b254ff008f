// SPDX-License-Identifier: GPL-2.0-only
// The virtio console (virtio 1.2, 5.3) with one port: receiveq 0 and
// transmitq 1, no multiport. What the driver transmits goes to a sink (the
// backend writes it to the zone's log); bytes from a source fill the
// driver's receive buffers. VIRTIO_CONSOLE_F_SIZE is offered when the
// console is given a size, and VIRTIO_CONSOLE_F_EMERG_WRITE always (one
// byte per 32-bit write of emerg_wr, usable before the queues are set up).
//
// Per 5.3.6.1 a transmitq holds only device-readable buffers and a
// receiveq only device-writable ones; anything else is a driver error.
// A transmit chain is passed on up to kMaxTransmitPerChain bytes (Linux
// sends at most 32 KiB per buffer); the rest is counted as dropped, so a
// chain that names the same gigabyte of RAM 256 times costs no more.
#pragma once

#include <bulkhead/virtio/chain_io.hpp>
#include <bulkhead/virtio/descriptor_chain.hpp>
#include <bulkhead/virtio/uapi.hpp>
#include <bulkhead/virtio/virtio_device.hpp>

#include <array>
#include <functional>
#include <optional>
#include <span>

namespace bh::virtio {

struct ConsoleSize {
    u16 cols = 0;
    u16 rows = 0;
};

// Fills `buf` with up to buf.size() received bytes; returns how many (0:
// nothing more for now).
using ByteSource = std::function<usize(std::span<u8>)>;

struct ConsoleStats {
    u64 transmitted = 0; // bytes handed to the sink
    u64 tx_dropped = 0;  // bytes over the per-chain limit
    u64 received = 0;    // bytes written into receive buffers
    u64 emergency = 0;   // emerg_wr bytes
};

class ConsoleDevice final : public VirtioDevice {
  public:
    static constexpr u16 kReceiveQueue = 0;
    static constexpr u16 kTransmitQueue = 1;
    static constexpr u16 kQueueSize = 256;
    static constexpr u64 kMaxTransmitPerChain = 64 * 1024;
    static constexpr usize kInputStage = 4096; // received bytes held for the driver

    ConsoleDevice(ByteSink sink, ByteSource source, std::optional<ConsoleSize> size = std::nullopt);

    // The source has bytes (the backend saw its input become readable).
    void input_ready() { input_ready_ = true; }
    // A new terminal size; ignored unless the console was given one.
    void resize(ConsoleSize size);
    const ConsoleStats& stats() const { return stats_; }

    u32 device_id() const override { return VIRTIO_ID_CONSOLE; }
    u64 device_features() const override;
    u16 queue_count() const override { return 2; }
    u16 queue_max_size(u16) const override { return kQueueSize; }
    u32 config_size() const override { return sizeof(virtio_console_config); }
    u32 config_read(u32 offset, u8 size) const override;
    void config_write(u32 offset, u8 size, u32 value) override;
    void attach(DeviceHost& host) override { host_ = &host; }
    void activate(u64) override {}
    void reset() override;
    bool has_work(u16 queue) const override;
    QueueWork service(u16 queue, SplitQueue& q, u32 max_chains) override;

  private:
    QueueWork transmit(SplitQueue& q, u32 max_chains);
    QueueWork receive(SplitQueue& q, u32 max_chains);
    void fill_stage();

    ByteSink sink_;
    ByteSource source_;
    std::optional<ConsoleSize> size_;
    DeviceHost* host_ = nullptr;
    DescriptorChain chain_;
    ConsoleStats stats_;

    // Received bytes not yet in a buffer: [stage_start_, stage_end_).
    std::array<u8, kInputStage> stage_{};
    usize stage_start_ = 0;
    usize stage_end_ = 0;
    bool input_ready_ = false;
    bool rx_starved_ = false; // input waits for buffers: until the driver notifies
};

} // namespace bh::virtio
