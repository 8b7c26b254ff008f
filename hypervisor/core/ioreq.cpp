// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/ioreq.hpp>
#include <bulkhead/scheduler.hpp>

namespace bh {

namespace {
u64 size_mask(u32 size) { return size >= 8 ? ~u64(0) : (u64(1) << (8 * size)) - 1; }
} // namespace

Status IoreqQueue::submit(Vcpu* waiter, u64 addr, u8 size, bool write, u64 data) {
    LockGuard g(lock_);
    for (Entry& e : entries_) {
        if (e.state != Entry::State::free) continue;
        e.req = {};
        e.req.addr = addr;
        e.req.data = write ? data & size_mask(size) : 0;
        e.req.count = 1;
        e.req.size = size;
        e.req.vp_eport = waiter ? waiter->index : kIoreqPosted;
        e.req.state = STATE_IOREQ_READY;
        e.req.dir = write ? IOREQ_WRITE : IOREQ_READ;
        e.req.type = IOREQ_TYPE_COPY;
        e.waiter = waiter;
        e.id = u64(generation_) << 32 | ++sequence_;
        e.state = Entry::State::ready;
        return Status::ok;
    }
    return Status::busy;
}

Status IoreqQueue::next(ioreq_t& out, u64& id) {
    LockGuard g(lock_);
    Entry* oldest = nullptr;
    for (Entry& e : entries_)
        if (e.state == Entry::State::ready && (!oldest || ((u32(e.id) - u32(oldest->id)) >> 31))) oldest = &e;
    if (!oldest) return Status::not_found;
    out = oldest->req;
    id = oldest->id;
    if (!oldest->waiter) {
        oldest->state = Entry::State::free; // posted: handed over, done
    } else {
        oldest->state = Entry::State::in_process;
        oldest->req.state = STATE_IOREQ_INPROCESS;
    }
    return Status::ok;
}

IoreqQueue::Entry* IoreqQueue::find_id(u64 id) {
    if (id >> 32 != generation_) return nullptr;
    for (Entry& e : entries_)
        if (e.state == Entry::State::in_process && e.id == id) return &e;
    return nullptr;
}

Status IoreqQueue::complete(u64 id, u64 value) {
    Vcpu* waiter;
    u64 result;
    {
        LockGuard g(lock_);
        Entry* e = find_id(id);
        if (!e) return Status::invalid_argument;
        waiter = e->waiter;
        result = e->req.dir == IOREQ_READ ? value & size_mask(e->req.size) : 0;
        e->state = Entry::State::free;
    }
    sched::finish_io(*waiter, result);
    return Status::ok;
}

void IoreqQueue::cancel() {
    LockGuard g(lock_);
    for (Entry& e : entries_) e.state = Entry::State::free;
    ++generation_;
}

u32 IoreqQueue::pending() const {
    LockGuard g(lock_);
    u32 n = 0;
    for (const Entry& e : entries_) n += e.state != Entry::State::free;
    return n;
}

u32 IoreqQueue::ready() const {
    LockGuard g(lock_);
    u32 n = 0;
    for (const Entry& e : entries_) n += e.state == Entry::State::ready;
    return n;
}

} // namespace bh
