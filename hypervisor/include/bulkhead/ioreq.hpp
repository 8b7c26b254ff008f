// SPDX-License-Identifier: GPL-2.0-only
// Forwarded device accesses ("I/O requests"): a zone's access to a window
// another zone serves (a virtio-mmio slot the control domain's backend
// implements) is queued here; the server pulls a copy by hypercall and
// completes it by id. The hypervisor keeps the only authoritative copy:
// it checks the id and the zone's generation (bumped whenever the queue is
// cancelled) and masks the value to the access size, so a confused or
// hostile server can only get its own calls refused. A write that only
// notifies (virtio QueueNotify) is posted: the vCPU does not wait for it.
//
// The request layout is Xen's public ioreq_t (xen/hvm/ioreq.h), copied to
// the server as is, with two Bulkhead uses of its fields: vp_eport is the
// index of the waiting vCPU (~0: posted, nobody waits) and the request's
// id travels beside it (the hypercall's result), not in it.
#pragma once

#include <bulkhead/spinlock.hpp>
#include <bulkhead/status.hpp>
#include <bulkhead/types.hpp>

extern "C" {
#include <xen/hvm/ioreq.h>
}

namespace bh {

struct Vcpu;
class Zone;

static_assert(sizeof(ioreq_t) == 32, "Xen's ioreq_t layout");

inline constexpr u32 kIoreqPosted = ~0u; // vp_eport of a posted request

class IoreqQueue {
  public:
    static constexpr u32 kDepth = 64;

    // Queues an access by `waiter` (null: posted). busy: the queue is full
    // (the vCPU retries the access later: the server is behind).
    [[nodiscard]] Status submit(Vcpu* waiter, u64 addr, u8 size, bool write, u64 data);
    // The oldest request not yet handed out: copied to `out` with its id,
    // and from now in process. not_found: none.
    [[nodiscard]] Status next(ioreq_t& out, u64& id);
    // Completes request `id` (from next()). A read's value is masked to its
    // size and handed to the waiting vCPU. invalid_argument: no request in
    // process has this id (never was, already completed, or cancelled: a
    // stale generation); posted ones need no completion.
    [[nodiscard]] Status complete(u64 id, u64 value);
    // Forgets every request (the zone ended or is destroyed): waiters are
    // left to their zone's end; later completions are refused.
    void cancel();
    u32 pending() const; // ready or in process
    u32 ready() const;   // not handed out yet

  private:
    struct Entry {
        enum class State : u8 { free, ready, in_process } state = State::free;
        ioreq_t req{};
        u64 id = 0;
        Vcpu* waiter = nullptr;
    };
    Entry* find_id(u64 id);

    mutable Spinlock lock_{LockLevel::device};
    Entry entries_[kDepth];
    u32 generation_ = 1;
    u32 sequence_ = 0;
};

} // namespace bh
