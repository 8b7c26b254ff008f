// SPDX-License-Identifier: GPL-2.0-only
// Register decoding (virtio 1.2, 4.2.2). Control registers (below 0x100)
// take 32-bit aligned accesses only (4.2.2.2); the configuration space
// takes 8-, 16- and 32-bit naturally aligned accesses. Anything else, and
// any write to a read-only register or read of a write-only one, is
// ignored: reads return 0.
#include <bulkhead/virtio/guest_memory.hpp>
#include <bulkhead/virtio/mmio_transport.hpp>

namespace bh::virtio {

MmioTransport::MmioTransport(GuestMemory& mem, VirtioDevice& device, InterruptFn raise, TransportLimits limits)
    : mem_(mem), device_(device), raise_(std::move(raise)), limits_(limits),
      budget_(limits.chains_per_second, limits.chain_burst) {
    if (limits_.chains_per_round == 0) limits_.chains_per_round = 1;
    const u16 n = device_.queue_count();
    queues_.reserve(n);
    for (u16 q = 0; q < n; ++q) queues_.emplace_back(mem_, device_.queue_max_size(q));
    pending_.assign(n, false);
    device_.attach(*this);
}

u64 MmioTransport::read(u64 offset, u8 size) {
    if (offset >= VIRTIO_MMIO_CONFIG && offset < kWindowSize)
        return read_config(static_cast<u32>(offset - VIRTIO_MMIO_CONFIG), size);
    if (size != 4 || offset % 4 || offset >= VIRTIO_MMIO_CONFIG) {
        ++stats_.ignored_accesses;
        return 0;
    }
    return read_register(static_cast<u32>(offset));
}

void MmioTransport::write(u64 offset, u8 size, u64 value) {
    if (offset >= VIRTIO_MMIO_CONFIG && offset < kWindowSize) {
        write_config(static_cast<u32>(offset - VIRTIO_MMIO_CONFIG), size, static_cast<u32>(value));
        return;
    }
    if (size != 4 || offset % 4 || offset >= VIRTIO_MMIO_CONFIG) {
        ++stats_.ignored_accesses;
        return;
    }
    write_register(static_cast<u32>(offset), static_cast<u32>(value));
}

u64 MmioTransport::read_config(u32 offset, u8 size) {
    const bool width_ok = size == 1 || size == 2 || size == 4;
    if (!width_ok || offset % size || offset >= device_.config_size() || size > device_.config_size() - offset) {
        ++stats_.ignored_accesses;
        return 0;
    }
    return device_.config_read(offset, size);
}

void MmioTransport::write_config(u32 offset, u8 size, u32 value) {
    const bool width_ok = size == 1 || size == 2 || size == 4;
    if (!width_ok || offset % size || offset >= device_.config_size() || size > device_.config_size() - offset) {
        ++stats_.ignored_accesses;
        return;
    }
    // Emergency writes (console) must work even on an unconfigured or
    // broken device, so config writes are passed on in every state.
    device_.config_write(offset, size, value);
}

u64 MmioTransport::offered_features() const {
    return device_.device_features() | (u64{1} << VIRTIO_F_VERSION_1) | (u64{1} << VIRTIO_RING_F_EVENT_IDX) |
           (u64{1} << VIRTIO_RING_F_INDIRECT_DESC);
}

SplitQueue* MmioTransport::selected_queue() { return queue_sel_ < queues_.size() ? &queues_[queue_sel_] : nullptr; }

u32 MmioTransport::read_register(u32 offset) {
    const SplitQueue* q = selected_queue();
    switch (offset) {
    case VIRTIO_MMIO_MAGIC_VALUE: return kMagic;
    case VIRTIO_MMIO_VERSION: return kVersion;
    case VIRTIO_MMIO_DEVICE_ID: return device_.device_id();
    case VIRTIO_MMIO_VENDOR_ID: return kVendorId;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        if (device_features_sel_ > 1) return 0;
        return static_cast<u32>(offered_features() >> (32 * device_features_sel_));
    case VIRTIO_MMIO_QUEUE_NUM_MAX: return q ? q->max_size() : 0; // 0: no such queue
    case VIRTIO_MMIO_QUEUE_READY: return q && q->ready() ? 1 : 0;
    case VIRTIO_MMIO_INTERRUPT_STATUS: return interrupt_status_;
    case VIRTIO_MMIO_STATUS: return status_;
    // No shared memory regions: "a non-existent region" reads as length
    // and base -1.
    case VIRTIO_MMIO_SHM_LEN_LOW:
    case VIRTIO_MMIO_SHM_LEN_HIGH:
    case VIRTIO_MMIO_SHM_BASE_LOW:
    case VIRTIO_MMIO_SHM_BASE_HIGH: return ~u32{0};
    case VIRTIO_MMIO_CONFIG_GENERATION: return config_generation_;
    default: // write-only registers, QueueReset (not offered), holes
        ++stats_.ignored_accesses;
        return 0;
    }
}

void MmioTransport::write_register(u32 offset, u32 value) {
    switch (offset) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL: device_features_sel_ = value; return;
    case VIRTIO_MMIO_DRIVER_FEATURES: write_driver_features(value); return;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL: driver_features_sel_ = value; return;
    case VIRTIO_MMIO_QUEUE_SEL: queue_sel_ = value; return;
    case VIRTIO_MMIO_QUEUE_NUM:
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
    case VIRTIO_MMIO_QUEUE_USED_LOW:
    case VIRTIO_MMIO_QUEUE_USED_HIGH: write_queue_register(offset, value); return;
    case VIRTIO_MMIO_QUEUE_READY: set_queue_ready(value != 0); return;
    case VIRTIO_MMIO_QUEUE_NOTIFY: notify(value); return;
    case VIRTIO_MMIO_INTERRUPT_ACK: interrupt_status_ &= ~value; return;
    case VIRTIO_MMIO_STATUS: write_status(value); return;
    case VIRTIO_MMIO_SHM_SEL: return; // any region selected is absent
    default:                          // read-only registers, QueueReset (not offered), holes
        ++stats_.ignored_accesses;
        return;
    }
}

namespace {

void set_low(u64& v, u32 low) { v = (v & ~u64{0xffffffff}) | low; }
void set_high(u64& v, u32 high) { v = (v & 0xffffffff) | (u64{high} << 32); }

} // namespace

void MmioTransport::write_queue_register(u32 offset, u32 value) {
    SplitQueue* q = selected_queue();
    // 4.2.2.2: the driver must not touch these while the queue is ready;
    // if it does, the running queue keeps the layout it was checked with.
    if (!q || q->ready()) {
        ++stats_.ignored_accesses;
        return;
    }
    QueueLayout& l = q->layout();
    switch (offset) {
    case VIRTIO_MMIO_QUEUE_NUM: l.size = value; break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW: set_low(l.desc, value); break;
    case VIRTIO_MMIO_QUEUE_DESC_HIGH: set_high(l.desc, value); break;
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW: set_low(l.avail, value); break;
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH: set_high(l.avail, value); break;
    case VIRTIO_MMIO_QUEUE_USED_LOW: set_low(l.used, value); break;
    case VIRTIO_MMIO_QUEUE_USED_HIGH: set_high(l.used, value); break;
    default: break;
    }
}

void MmioTransport::set_queue_ready(bool ready) {
    SplitQueue* q = selected_queue();
    if (!q) {
        ++stats_.ignored_accesses;
        return;
    }
    if (!ready) {
        q->stop(); // 4.2.2.2: how a driver stops using a queue
        pending_[queue_sel_] = false;
        return;
    }
    if (q->ready() || needs_reset()) return;
    DriverError e = q->start();
    if (e != DriverError::none) enter_needs_reset(e);
}

} // namespace bh::virtio
