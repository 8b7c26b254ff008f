// SPDX-License-Identifier: GPL-2.0-only
// Reproducible pseudo-random numbers for the fuzzing test zones
// (xorshift64: the same seed gives the same run, so a failure replays).
#pragma once

#include <guest/types.hpp>

namespace bh::test {

class XorShift64 {
  public:
    explicit constexpr XorShift64(u64 seed = 0x9e3779b97f4a7c15ull) : state_(seed ? seed : 1) {}
    u64 next() {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 7;
        state_ ^= state_ << 17;
        return state_;
    }

  private:
    u64 state_;
};

} // namespace bh::test
