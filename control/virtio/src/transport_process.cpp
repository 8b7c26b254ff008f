// SPDX-License-Identifier: GPL-2.0-only
// Notifications and queue processing. A notify only marks its queue
// pending (a thousand notifies cost what one does); process() then serves
// pending queues round-robin, each call bounded by chains_per_round and by
// the chains-per-second budget, and leaves whatever is left pending for the
// next call, so one zone's driver can make its backend do only so much
// work per call and per second.
#include <bulkhead/virtio/mmio_transport.hpp>

#include <algorithm>

namespace bh::virtio {

void MmioTransport::notify(u32 value) {
    // Without VIRTIO_F_NOTIFICATION_DATA (not offered) the value is the
    // queue index. Naming a queue the device does not have is a driver
    // bug like a malformed ring: the device needs a reset. A queue that
    // exists but is not ready has nothing the device may look at
    // (4.2.2.1): that notify is dropped, as is any while stopped.
    if (needs_reset()) {
        ++stats_.ignored_notifies;
        return;
    }
    if (value >= queues_.size()) {
        ++stats_.ignored_notifies;
        enter_needs_reset(DriverError::notify_no_such_queue);
        return;
    }
    if (!queues_[value].ready()) {
        ++stats_.ignored_notifies;
        return;
    }
    // However many, notifies cost the backend only a pending bit; but a
    // driver that keeps ringing with nothing new is broken or hostile, and
    // what virtio gives a driver that breaks the rules is a device that
    // needs a reset.
    const u32 idle = queues_[value].count_idle_notify();
    if (limits_.idle_notify_limit && idle > limits_.idle_notify_limit) {
        ++stats_.ignored_notifies;
        enter_needs_reset(DriverError::notify_flood);
        return;
    }
    ++stats_.notifies;
    pending_[value] = true;
}

ProcessResult MmioTransport::process(u64 now_ns) {
    ProcessResult result;
    // 3.1.1: no buffers are used before DRIVER_OK. Pending notifies wait.
    if (!live()) return result;
    budget_.refill(now_ns);

    const u16 n = static_cast<u16>(queues_.size());
    u32 round_left = limits_.chains_per_round;
    bool used_interrupt = false;
    for (u16 i = 0; i < n; ++i) {
        const u16 qi = static_cast<u16>((round_robin_ + i) % n);
        SplitQueue& q = queues_[qi];
        if (!q.ready()) {
            pending_[qi] = false;
            continue;
        }
        if (!pending_[qi] && !device_.has_work(qi)) continue;
        const u32 allowed = std::min(round_left, budget_.available());
        if (allowed == 0) break; // stays pending
        pending_[qi] = false;

        QueueWork w = device_.service(qi, q, allowed);
        w.chains = std::min(w.chains, allowed); // a model overstepping is still bounded
        if (w.error == DriverError::none) w.error = q.error();
        budget_.consume(w.chains);
        round_left -= w.chains;
        result.chains += w.chains;
        stats_.chains += w.chains;
        if (w.error != DriverError::none) {
            enter_needs_reset(w.error);
            return ProcessResult{result.chains, false, 0};
        }
        if (w.chains && q.needs_interrupt()) used_interrupt = true;
        if (w.more) pending_[qi] = true;
    }
    if (n) round_robin_ = static_cast<u16>((round_robin_ + 1) % n);
    if (used_interrupt) raise(Interrupt::used_buffer);

    for (u16 qi = 0; qi < n; ++qi)
        if (queues_[qi].ready() && (pending_[qi] || device_.has_work(qi))) result.more = true;
    if (result.more && budget_.available() == 0) result.wake_at_ns = budget_.next_refill_ns();
    return result;
}

} // namespace bh::virtio
