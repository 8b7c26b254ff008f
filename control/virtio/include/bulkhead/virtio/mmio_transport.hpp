// SPDX-License-Identifier: GPL-2.0-only
// The device side of virtio over MMIO, register layout version 2 (virtio
// 1.2, 4.2.2), for one zone's virtio-mmio window. The backend feeds it the
// zone's register accesses as the hypervisor forwards them, and the posted
// QueueNotify doorbells; it runs the device's queues in process(), within
// a budget, never inside a register access.
//
// Hostile drivers: an access of the wrong width or to an unknown offset
// reads 0 and writes nothing. A notify for a queue that does not exist or
// is not ready is ignored (counted). Any broken queue rule puts the device
// in DEVICE_NEEDS_RESET (status 0x40, a configuration-change interrupt once
// DRIVER_OK is set) and stops all processing until the driver writes 0 to
// Status. Notifications only set a pending bit per queue, so a flood of
// them costs O(1) each; process() does at most `chains_per_round` chains
// per call and at most the WorkBudget's chains per second.
//
// One thread per transport: nothing here takes a lock.
#pragma once

#include <bulkhead/virtio/driver_error.hpp>
#include <bulkhead/virtio/ints.hpp>
#include <bulkhead/virtio/split_queue.hpp>
#include <bulkhead/virtio/uapi.hpp>
#include <bulkhead/virtio/virtio_device.hpp>
#include <bulkhead/virtio/work_budget.hpp>

#include <functional>
#include <vector>

namespace bh::virtio {

class GuestMemory;

// The two interrupt causes of InterruptStatus.
enum class Interrupt : u32 {
    used_buffer = VIRTIO_MMIO_INT_VRING,
    config_change = VIRTIO_MMIO_INT_CONFIG,
};
// Raises the zone's (edge-triggered) interrupt line, later via an irqfd.
using InterruptFn = std::function<void(Interrupt)>;

struct TransportLimits {
    u32 chains_per_round = 64;      // per process() call, all queues together
    u32 chains_per_second = 20'000; // 0: no time budget
    u32 chain_burst = 1'024;        // chains allowed at once after a quiet spell
    // Notifies in a row that find nothing new in their queue before the
    // device calls it a flood (DEVICE_NEEDS_RESET); 0: never.
    u32 idle_notify_limit = 1'024;
};

struct ProcessResult {
    u32 chains = 0;     // done by this call
    bool more = false;  // work left: call again
    u64 wake_at_ns = 0; // nonzero: the time budget is spent until then
};

struct TransportStats {
    u64 notifies = 0;         // accepted doorbells
    u64 ignored_notifies = 0; // bad queue number, queue not ready, device broken
    u64 ignored_accesses = 0; // wrong width, unknown offset, write to a read-only register
    u64 chains = 0;
    u64 interrupts = 0;
};

class MmioTransport final : private DeviceHost {
  public:
    static constexpr u32 kWindowSize = 0x200; // one virtio-mmio slot
    static constexpr u32 kMagic = 0x74726976; // "virt"
    static constexpr u32 kVersion = 2;
    // The same VendorID the hypervisor shows in slots nobody serves.
    static constexpr u32 kVendorId = 0x554d4551;

    MmioTransport(GuestMemory& mem, VirtioDevice& device, InterruptFn raise, TransportLimits limits = {});
    // The device model keeps a pointer to its transport (DeviceHost).
    MmioTransport(const MmioTransport&) = delete;
    MmioTransport& operator=(const MmioTransport&) = delete;

    // A register access at `offset` in the window; `size` in bytes (1, 2, 4
    // or 8). Reads return the value zero-extended to 64 bits.
    u64 read(u64 offset, u8 size);
    void write(u64 offset, u8 size, u64 value);
    // A QueueNotify doorbell the hypervisor posted (the value written).
    void notify(u32 value);
    // Does pending queue work within the limits.
    ProcessResult process(u64 now_ns);

    u32 status() const { return status_; }
    bool needs_reset() const { return status_ & VIRTIO_CONFIG_S_NEEDS_RESET; }
    DriverError error() const { return error_; }
    u32 interrupt_status() const { return interrupt_status_; }
    u64 offered_features() const;
    u64 negotiated_features() const { return negotiated_; }
    u32 config_generation() const { return config_generation_; }
    const TransportStats& stats() const { return stats_; }
    const SplitQueue& queue(u16 q) const { return queues_[q]; }

  private:
    // DeviceHost
    void config_changed() override;

    u32 read_register(u32 offset);
    void write_register(u32 offset, u32 value);
    u64 read_config(u32 offset, u8 size);
    void write_config(u32 offset, u8 size, u32 value);
    void write_queue_register(u32 offset, u32 value);
    void write_status(u32 value);
    void write_driver_features(u32 value);
    bool accept_features();
    void set_queue_ready(bool ready);
    SplitQueue* selected_queue();
    bool live() const;
    void reset();
    void enter_needs_reset(DriverError e);
    void raise(Interrupt cause);

    GuestMemory& mem_;
    VirtioDevice& device_;
    InterruptFn raise_;
    TransportLimits limits_;
    WorkBudget budget_;
    std::vector<SplitQueue> queues_;
    std::vector<bool> pending_; // a notify (or unfinished work) per queue
    u16 round_robin_ = 0;       // the queue served first next round

    u32 status_ = 0;
    DriverError error_ = DriverError::none;
    u32 device_features_sel_ = 0;
    u32 driver_features_sel_ = 0;
    u64 driver_features_ = 0;
    bool driver_features_unknown_ = false; // bits written above 63
    u64 negotiated_ = 0;
    u32 queue_sel_ = 0;
    u32 interrupt_status_ = 0;
    u32 config_generation_ = 0;
    TransportStats stats_;
};

} // namespace bh::virtio
