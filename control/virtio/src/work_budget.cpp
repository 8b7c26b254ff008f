// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/virtio/work_budget.hpp>

#include <algorithm>

namespace bh::virtio {

WorkBudget::WorkBudget(u32 per_second, u32 burst)
    : rate_(per_second), burst_(std::max<u32>(burst, 1)), tokens_(burst_) {}

void WorkBudget::refill(u64 now_ns) {
    if (unlimited()) return;
    if (!started_ || now_ns < last_ns_) { // first call, or a clock that went back
        started_ = true;
        last_ns_ = now_ns;
        return;
    }
    const u64 elapsed = now_ns - last_ns_;
    // Long enough to fill the bucket from empty: full, and no arithmetic on
    // an arbitrarily long interval (elapsed * rate could overflow).
    const u64 fill_ns = u64{burst_} * kNsPerSecond / rate_ + 1;
    if (elapsed >= fill_ns) {
        tokens_ = burst_;
        last_ns_ = now_ns;
        return;
    }
    const u64 earned = elapsed * rate_ / kNsPerSecond; // < burst + 1: no overflow
    if (earned == 0) return;                           // keep the fraction for later
    tokens_ = static_cast<u32>(std::min<u64>(burst_, tokens_ + earned));
    // Advance by exactly the time those tokens took, so slow trickles of
    // time are not lost to rounding.
    last_ns_ += earned * kNsPerSecond / rate_;
    if (tokens_ == burst_) last_ns_ = now_ns; // a full bucket does not bank time
}

void WorkBudget::consume(u32 n) {
    if (unlimited()) return;
    tokens_ -= std::min(n, tokens_);
}

u64 WorkBudget::next_refill_ns() const {
    if (unlimited() || tokens_ > 0) return 0;
    return last_ns_ + (kNsPerSecond + rate_ - 1) / rate_;
}

} // namespace bh::virtio
