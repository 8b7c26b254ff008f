// SPDX-License-Identifier: GPL-2.0-only
// How much of the host console one zone may fill: its own console lines
// and the hypervisor's lines about its misbehaviour share one token bucket
// (a burst, then a steady rate), so a zone printing or faulting as fast as
// it can cannot crowd out the hypervisor or other zones (hole 5 of the
// attacker's review). What is over budget is dropped and counted; the
// count is reported with the next line allowed, at most once a second.
#pragma once

#include <bulkhead/spinlock.hpp>
#include <bulkhead/types.hpp>

namespace bh {

class LogBudget {
  public:
    // Generous for any honest zone: a Linux boot log is well inside the
    // burst, a chatty workload inside the rate.
    static constexpr u64 kBurstBytes = u64(128) << 10;
    static constexpr u64 kBytesPerSecond = u64(16) << 10;

    // Takes `bytes` from the bucket at counter time `now` (ticks at
    // `ticks_per_second`). False: over budget, the line is to be dropped
    // (and is counted). `report` gets the lines dropped that the caller is
    // to report now (0: none, or the last report was less than a second ago).
    bool take(u64 bytes, u64 now, u64 ticks_per_second, u64& report);
    // Counts a line that was dropped for another reason (a full console).
    void count_drop();
    u64 total_dropped() const { return total_dropped_; }

  private:
    Spinlock lock_{LockLevel::log_budget};
    u64 tokens_ = kBurstBytes;
    u64 last_refill_ = 0;
    u64 dropped_ = 0; // not reported yet
    u64 last_report_ = 0;
    u64 total_dropped_ = 0;
};

} // namespace bh
