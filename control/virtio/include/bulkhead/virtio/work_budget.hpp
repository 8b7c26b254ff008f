// SPDX-License-Identifier: GPL-2.0-only
// A token bucket of descriptor chains per second: how much work a zone's
// driver can make its backend do per unit of time, whatever it does with
// notifications. Time is whatever monotonic nanosecond clock the caller
// passes in, so tests drive it by hand.
#pragma once

#include <bulkhead/virtio/ints.hpp>

namespace bh::virtio {

class WorkBudget {
  public:
    static constexpr u64 kNsPerSecond = 1'000'000'000;

    // `per_second` 0: no time budget at all. `burst`: what can be spent at
    // once after a quiet spell (at least 1); the bucket starts full.
    WorkBudget(u32 per_second, u32 burst);

    void refill(u64 now_ns);
    u32 available() const { return unlimited() ? ~u32{0} : tokens_; }
    void consume(u32 n);
    // When at least one unit will be available again (0 if one is now).
    u64 next_refill_ns() const;

  private:
    bool unlimited() const { return rate_ == 0; }

    u32 rate_;
    u32 burst_;
    u32 tokens_;
    u64 last_ns_ = 0;
    bool started_ = false;
};

} // namespace bh::virtio
