// SPDX-License-Identifier: GPL-2.0-only
// What a device model (console now; block and net later) gives the
// virtio-mmio transport, and what it may ask of it. The transport owns the
// registers, the status and feature negotiation and the queues' layout; the
// model owns the device type's features, its configuration space, and what
// its queues' buffers mean.
#pragma once

#include <bulkhead/virtio/driver_error.hpp>
#include <bulkhead/virtio/ints.hpp>

namespace bh::virtio {

class SplitQueue;

// The transport as a device model sees it.
class DeviceHost {
  public:
    // The configuration space changed (a console resize): a new
    // ConfigGeneration and, once the driver is running, a
    // configuration-change interrupt.
    virtual void config_changed() = 0;

  protected:
    ~DeviceHost() = default;
};

// What one call of VirtioDevice::service did.
struct QueueWork {
    u32 chains = 0;    // chains taken and returned
    bool more = false; // stopped at the limit with (maybe) more to do
    DriverError error = DriverError::none;
};

class VirtioDevice {
  public:
    virtual ~VirtioDevice() = default;

    virtual u32 device_id() const = 0;       // VIRTIO_ID_*
    virtual u64 device_features() const = 0; // device-type bits only
    virtual u16 queue_count() const = 0;
    virtual u16 queue_max_size(u16 queue) const = 0; // a power of two <= 32768
    virtual u32 config_size() const = 0;

    // Configuration space accesses: `size` is 1, 2 or 4 and the transport
    // has checked that [offset, offset + size) is aligned and inside
    // config_size().
    virtual u32 config_read(u32 offset, u8 size) const = 0;
    virtual void config_write(u32 offset, u8 size, u32 value) = 0;

    // Once, before anything else.
    virtual void attach(DeviceHost& host) = 0;
    // DRIVER_OK: the features the driver accepted (transport bits included).
    virtual void activate(u64 features) = 0;
    // The driver wrote 0 to Status.
    virtual void reset() = 0;

    // Whether the device has work for `queue` that no notification asked
    // for (console input waiting for receive buffers).
    virtual bool has_work(u16 queue) const = 0;
    // Takes and returns at most `max_chains` chains of the ready `queue`
    // (max_chains >= 1). A chain the model finds malformed for this device
    // type is reported in QueueWork::error; the queue's own errors are
    // picked up by the transport.
    virtual QueueWork service(u16 queue, SplitQueue& q, u32 max_chains) = 0;
};

} // namespace bh::virtio
