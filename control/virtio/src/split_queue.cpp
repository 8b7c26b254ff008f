// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/virtio/guest_memory.hpp>
#include <bulkhead/virtio/split_queue.hpp>
#include <bulkhead/virtio/uapi.hpp>

#include <algorithm>
#include <atomic>
#include <bit>

namespace bh::virtio {

SplitQueue::SplitQueue(GuestMemory& mem, u16 max_size)
    : mem_(&mem), max_size_(std::bit_floor(std::min<u16>(max_size, kMaxSize))) {
    reset();
}

void SplitQueue::set_features(bool event_idx, bool indirect) {
    event_idx_ = event_idx;
    indirect_ = indirect;
}

void SplitQueue::reset() {
    ready_ = false;
    // MMIO has no defined reset value for QueueNum; offering the maximum
    // lets a driver that never writes it still get a valid queue.
    layout_ = QueueLayout{max_size_, 0, 0, 0};
    event_idx_ = indirect_ = false;
    error_ = DriverError::none;
    size_ = 0;
    last_avail_ = next_used_ = signalled_used_ = avail_at_notify_ = 0;
    idle_notifies_ = 0;
}

void SplitQueue::stop() { ready_ = false; }

bool SplitQueue::fail(DriverError e) {
    error_ = e;
    ready_ = false;
    return false;
}

DriverError SplitQueue::start() {
    if (ready_) return DriverError::none;
    error_ = DriverError::none;
    const QueueLayout& l = layout_;
    const u64 n = l.size;
    if (n == 0 || n > max_size_ || (n & (n - 1)) != 0) {
        fail(DriverError::queue_size);
    } else if (l.desc % kDescriptorTableAlign || l.avail % kAvailRingAlign || l.used % kUsedRingAlign) {
        fail(DriverError::queue_alignment);
    } else if (!mem_->contains(l.desc, n * kDescriptorSize) ||
               !mem_->contains(l.avail, kAvailHeader + 2 * n + 2) ||           // + used_event
               !mem_->contains(l.used, kUsedHeader + kUsedElemSize * n + 2)) { // + avail_event
        fail(DriverError::queue_outside_memory);
    } else {
        size_ = static_cast<u16>(n);
        last_avail_ = next_used_ = signalled_used_ = avail_at_notify_ = 0;
        idle_notifies_ = 0;
        ready_ = true;
    }
    return error_;
}

u32 SplitQueue::count_idle_notify() {
    u16 idx;
    // A ring the device cannot read is for pop() to report, not this.
    if (!mem_->load_u16(layout_.avail + 2, idx)) return 0;
    if (idx != avail_at_notify_) {
        avail_at_notify_ = idx;
        idle_notifies_ = 0;
        return 0;
    }
    return ++idle_notifies_;
}

bool SplitQueue::read_avail_idx(u16& idx) {
    if (!mem_->load_u16(layout_.avail + 2, idx)) return fail(DriverError::queue_outside_memory);
    // 2.7.6: the driver never takes entries back, so at most `size` can be
    // outstanding; a bigger jump is a broken (or hostile) driver.
    if (static_cast<u16>(idx - last_avail_) > size_) return fail(DriverError::avail_index_jump);
    return true;
}

void SplitQueue::publish_avail_event() {
    // "Notify me when you add entry last_avail": the driver checks this
    // with vring_need_event after bumping avail.idx.
    if (!mem_->store_u16(layout_.used + kUsedHeader + u64{kUsedElemSize} * size_, last_avail_)) {
        fail(DriverError::used_ring_unwritable);
        return;
    }
    std::atomic_thread_fence(std::memory_order_seq_cst); // our store before re-reading avail.idx
}

PopResult SplitQueue::pop(DescriptorChain& out) {
    if (!ready_) return error_ == DriverError::none ? PopResult::empty : PopResult::error;
    u16 avail_idx;
    if (!read_avail_idx(avail_idx)) return PopResult::error;
    if (avail_idx == last_avail_) {
        if (!event_idx_) return PopResult::empty; // used.flags stays 0: the driver always notifies
        // The driver may have added a chain after our read but before it
        // saw avail_event; look once more after publishing it.
        publish_avail_event();
        if (!ready_ || !read_avail_idx(avail_idx)) return PopResult::error;
        if (avail_idx == last_avail_) return PopResult::empty;
    }
    std::atomic_thread_fence(std::memory_order_acquire); // ring entry and descriptors after avail.idx

    u16 head;
    if (!mem_->load_u16(layout_.avail + kAvailHeader + 2u * (last_avail_ % size_), head)) {
        fail(DriverError::queue_outside_memory);
        return PopResult::error;
    }
    DriverError e = walk_chain(*mem_, ChainRules{layout_.desc, size_, indirect_}, head, out);
    if (e != DriverError::none) {
        fail(e);
        return PopResult::error;
    }
    ++last_avail_;
    return PopResult::chain;
}

bool SplitQueue::push_used(u16 head, u32 len) {
    if (!ready_) return false;
    vring_used_elem elem;
    elem.id = to_le(u32{head});
    elem.len = to_le(len);
    const u64 slot = layout_.used + kUsedHeader + u64{kUsedElemSize} * (next_used_ % size_);
    if (!mem_->write(slot, &elem, sizeof elem)) return fail(DriverError::used_ring_unwritable);
    std::atomic_thread_fence(std::memory_order_release); // the entry before the index that publishes it
    ++next_used_;
    if (!mem_->store_u16(layout_.used + 2, next_used_)) return fail(DriverError::used_ring_unwritable);
    return true;
}

bool SplitQueue::needs_interrupt() {
    if (!ready_) return false;
    const u16 old = signalled_used_;
    const u16 now = next_used_;
    if (old == now) return false;
    signalled_used_ = now;
    std::atomic_thread_fence(std::memory_order_seq_cst); // used.idx before the driver's wishes
    u16 value;
    if (event_idx_) {
        if (!mem_->load_u16(layout_.avail + kAvailHeader + 2u * size_, value)) return true;
        return vring_need_event(value, now, old) != 0; // used_event in [old, now)
    }
    if (!mem_->load_u16(layout_.avail, value)) return true;
    return !(value & VRING_AVAIL_F_NO_INTERRUPT);
}

} // namespace bh::virtio
