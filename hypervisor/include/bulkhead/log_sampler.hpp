// SPDX-License-Identifier: GPL-2.0-only
// Which of a zone's repeated misbehaviours of one kind (an illegal access,
// a refused port, MSR or IPI) get a log line: the first 16, then every
// 1024th, so a zone doing it in a loop cannot flood the console, and its
// lines are charged to its console budget on top (zone_log).
#pragma once

#include <bulkhead/atomic.hpp>
#include <bulkhead/types.hpp>

namespace bh {

class LogSampler {
  public:
    static constexpr u32 kLoggedInFull = 16;
    static constexpr u32 kThenEvery = 1024;

    // Counts one event; true if it is one to log.
    bool sample() {
        u32 n = count_.fetch_add(1, MemoryOrder::relaxed) + 1;
        return n <= kLoggedInFull || n % kThenEvery == 0;
    }
    u32 count() const { return count_.load(MemoryOrder::relaxed); }

  private:
    Atomic<u32> count_{0};
};

} // namespace bh
