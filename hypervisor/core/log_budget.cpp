// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/log_budget.hpp>

namespace bh {

bool LogBudget::take(u64 bytes, u64 now, u64 ticks_per_second, u64& report) {
    LockGuard g(lock_);
    if (last_refill_ == 0 || now < last_refill_) last_refill_ = now;
    u64 elapsed = now - last_refill_;
    if (elapsed > 16 * ticks_per_second) { // long quiet: full again (and no overflow below)
        tokens_ = kBurstBytes;
        last_refill_ = now;
        elapsed = 0;
    }
    // Whole bytes only; the remainder of the tick count carries over.
    u64 earned = ticks_per_second ? elapsed * kBytesPerSecond / ticks_per_second : 0;
    if (earned) {
        tokens_ = tokens_ + earned > kBurstBytes ? kBurstBytes : tokens_ + earned;
        last_refill_ += earned * ticks_per_second / kBytesPerSecond;
    }
    if (bytes > tokens_) {
        ++dropped_;
        ++total_dropped_;
        return false;
    }
    tokens_ -= bytes;
    report = 0;
    if (dropped_ && (last_report_ == 0 || now - last_report_ >= ticks_per_second)) {
        report = dropped_;
        dropped_ = 0;
        last_report_ = now;
    }
    return true;
}

void LogBudget::count_drop() {
    LockGuard g(lock_);
    ++dropped_;
    ++total_dropped_;
}

} // namespace bh
