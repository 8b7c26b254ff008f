// SPDX-License-Identifier: GPL-2.0-only
// Device status, feature negotiation and reset (virtio 1.2, 2.1, 2.2, 3.1).
// Status bits only accumulate until the driver writes 0 (it must never
// clear one, 2.1.1); DEVICE_NEEDS_RESET belongs to the device, so the
// driver can neither set nor clear it except by resetting.
#include <bulkhead/virtio/mmio_transport.hpp>

namespace bh::virtio {

namespace {

constexpr u32 kDriverStatusBits = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
                                  VIRTIO_CONFIG_S_DRIVER_OK | VIRTIO_CONFIG_S_FAILED;

constexpr u64 bit(unsigned n) { return u64{1} << n; }

} // namespace

bool MmioTransport::live() const {
    constexpr u32 running = VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK;
    constexpr u32 stopped = VIRTIO_CONFIG_S_NEEDS_RESET | VIRTIO_CONFIG_S_FAILED;
    return (status_ & running) == running && !(status_ & stopped);
}

void MmioTransport::write_driver_features(u32 value) {
    // Once FEATURES_OK is accepted the features are fixed until reset.
    if (status_ & VIRTIO_CONFIG_S_FEATURES_OK) {
        ++stats_.ignored_accesses;
        return;
    }
    if (driver_features_sel_ == 0) {
        driver_features_ = (driver_features_ & ~u64{0xffffffff}) | value;
    } else if (driver_features_sel_ == 1) {
        driver_features_ = (driver_features_ & 0xffffffff) | (u64{value} << 32);
    } else if (value != 0) {
        driver_features_unknown_ = true; // bits nobody offered
    }
}

bool MmioTransport::accept_features() {
    // A driver may only accept what was offered (2.2.1), and this is a
    // virtio 1.x device with no legacy interface: VERSION_1 is required.
    const u64 offered = offered_features();
    if (driver_features_unknown_ || (driver_features_ & ~offered) || !(driver_features_ & bit(VIRTIO_F_VERSION_1)))
        return false;
    negotiated_ = driver_features_;
    const bool event_idx = negotiated_ & bit(VIRTIO_RING_F_EVENT_IDX);
    const bool indirect = negotiated_ & bit(VIRTIO_RING_F_INDIRECT_DESC);
    for (SplitQueue& q : queues_) q.set_features(event_idx, indirect);
    return true;
}

void MmioTransport::write_status(u32 value) {
    if (value == 0) {
        reset();
        return;
    }
    u32 added = value & kDriverStatusBits & ~status_;
    // 3.1.1 step 6: the device leaves FEATURES_OK clear if it cannot work
    // with the features the driver chose; the driver reads it back.
    if ((added & VIRTIO_CONFIG_S_FEATURES_OK) && !accept_features()) added &= ~u32{VIRTIO_CONFIG_S_FEATURES_OK};
    status_ |= added;
    if (added & VIRTIO_CONFIG_S_DRIVER_OK) {
        if (!(status_ & VIRTIO_CONFIG_S_FEATURES_OK)) {
            enter_needs_reset(DriverError::driver_ok_too_early);
            return;
        }
        if (needs_reset()) {
            // Broken during set-up (a bad queue): now that the driver
            // listens, tell it (2.1.2).
            raise(Interrupt::config_change);
            return;
        }
        device_.activate(negotiated_);
    }
}

void MmioTransport::reset() {
    // 4.2.2.1: InterruptStatus and every QueueReady cleared. The work budget
    // is deliberately kept: resetting must not buy a driver more work.
    status_ = 0;
    error_ = DriverError::none;
    device_features_sel_ = driver_features_sel_ = 0;
    driver_features_ = negotiated_ = 0;
    driver_features_unknown_ = false;
    queue_sel_ = 0;
    interrupt_status_ = 0;
    for (SplitQueue& q : queues_) q.reset();
    pending_.assign(pending_.size(), false);
    device_.reset();
}

void MmioTransport::enter_needs_reset(DriverError e) {
    if (needs_reset()) return;
    error_ = e;
    status_ |= VIRTIO_CONFIG_S_NEEDS_RESET;
    pending_.assign(pending_.size(), false);
    // 2.1.2: "If DRIVER_OK is set, after it sets DEVICE_NEEDS_RESET, the
    // device MUST send a device configuration change notification".
    if (status_ & VIRTIO_CONFIG_S_DRIVER_OK) raise(Interrupt::config_change);
}

void MmioTransport::config_changed() {
    ++config_generation_;
    if (status_ & VIRTIO_CONFIG_S_DRIVER_OK) raise(Interrupt::config_change);
}

void MmioTransport::raise(Interrupt cause) {
    interrupt_status_ |= static_cast<u32>(cause);
    ++stats_.interrupts;
    if (raise_) raise_(cause);
}

} // namespace bh::virtio
