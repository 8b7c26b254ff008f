// SPDX-License-Identifier: GPL-2.0-only
// The device side of one split virtqueue (virtio 1.2, 2.7): the descriptor
// table, available ring and used ring at the guest addresses the driver
// programmed. The layout is validated once, when the driver makes the queue
// ready; every chain is validated as it is popped; a broken rule stops the
// queue for good (error()) until it is reset.
//
// Memory ordering against the driver on other CPUs: avail.idx is read, then
// an acquire fence orders the ring entry and descriptor reads after it;
// used entries are written, then a release fence orders them before the new
// used.idx; and a full fence separates our own stores (used.idx,
// avail_event) from the loads that decide whether the other side needs a
// notification (used_event or avail.flags, avail.idx), as the spec's
// suppression scheme requires.
#pragma once

#include <bulkhead/virtio/descriptor_chain.hpp>
#include <bulkhead/virtio/driver_error.hpp>
#include <bulkhead/virtio/ints.hpp>

namespace bh::virtio {

class GuestMemory;

// What the driver writes through the transport while the queue is not
// ready. `size` is kept as written (a u32 register) so that values over
// 32768 are refused rather than truncated.
struct QueueLayout {
    u32 size = 0;
    u64 desc = 0;  // QueueDesc: descriptor table
    u64 avail = 0; // QueueDriver: available ring
    u64 used = 0;  // QueueDevice: used ring
};

enum class PopResult { chain, empty, error };

class SplitQueue {
  public:
    static constexpr u32 kMaxSize = 32768; // 2.7: the largest split queue

    // `max_size`: QueueNumMax, a power of two up to kMaxSize (anything else
    // is rounded down to one; 0 makes a queue no size fits). `mem`: the
    // zone's RAM, which must outlive the queue.
    SplitQueue(GuestMemory& mem, u16 max_size);

    u16 max_size() const { return max_size_; }
    // Writable only while the queue is not ready (the transport ignores
    // writes to a ready queue's registers, as 4.2.2.2 forbids them).
    QueueLayout& layout() { return layout_; }
    const QueueLayout& layout() const { return layout_; }

    // Features the driver negotiated that change how the rings work.
    void set_features(bool event_idx, bool indirect);

    // QueueReady = 1: validates the layout (size a power of two within
    // max_size, alignment, every part inside RAM) and starts at index 0. On
    // failure the queue stays stopped and error() says why.
    DriverError start();
    // QueueReady = 0: stop touching the rings; the layout is kept.
    void stop();
    // Device reset: stopped, layout back to its defaults, error cleared.
    void reset();

    bool ready() const { return ready_; }
    DriverError error() const { return error_; }
    GuestMemory& memory() const { return *mem_; }
    u16 size() const { return size_; }

    // Takes the next available chain. empty: nothing there (and, with
    // EVENT_IDX, avail_event now asks the driver to notify us for the next
    // one); error: the queue broke a rule and has stopped.
    PopResult pop(DescriptorChain& out);
    // Returns a popped chain with `len` bytes written into it.
    [[nodiscard]] bool push_used(u16 head, u32 len);
    // Whether the driver wants a used-buffer notification for what was
    // pushed since the last call (VRING_AVAIL_F_NO_INTERRUPT, or
    // used_event with EVENT_IDX).
    bool needs_interrupt();

    u16 last_avail() const { return last_avail_; }
    u16 next_used() const { return next_used_; }

    // A notify for this queue: how many notifies in a row have found
    // avail.idx where the one before left it, this one included (0 when
    // it moved). A driver notifies after making buffers available, so a
    // long run of these is a flood, not a driver waiting for the device.
    u32 count_idle_notify();

  private:
    bool fail(DriverError e);
    bool read_avail_idx(u16& idx);
    void publish_avail_event();

    GuestMemory* mem_;
    u16 max_size_;
    QueueLayout layout_;
    bool ready_ = false;
    bool event_idx_ = false;
    bool indirect_ = false;
    DriverError error_ = DriverError::none;
    u16 size_ = 0;
    u16 last_avail_ = 0;      // next avail ring entry to take
    u16 next_used_ = 0;       // our used.idx
    u16 signalled_used_ = 0;  // used.idx at the last needs_interrupt()
    u16 avail_at_notify_ = 0; // avail.idx at the last notify
    u32 idle_notifies_ = 0;   // notifies in a row that found it unmoved
};

} // namespace bh::virtio
