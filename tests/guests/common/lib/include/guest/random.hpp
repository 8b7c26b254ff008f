// SPDX-License-Identifier: GPL-2.0-only
// Reproducible pseudo-random numbers for the fuzzing test zones
// (xorshift64: the same seed gives the same run, so a failure replays).
#pragma once

#include <guest/console.hpp>
#include <guest/testing.hpp>
#include <guest/types.hpp>

namespace bh::test {

// The seed of a fuzzing zone booted without one (boot argument 0: a
// manifest run by hand rather than by the scenario runner).
inline constexpr u64 kDefaultSeed = 0x9e3779b97f4a7c15ull;

class XorShift64 {
  public:
    explicit constexpr XorShift64(u64 seed = kDefaultSeed) : state_(seed ? seed : 1) {}
    u64 next() {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 7;
        state_ ^= state_ << 17;
        return state_;
    }

  private:
    u64 state_;
};

// A fuzzing zone's seed: its boot argument (zone_main's argument), which the
// scenario runner sets to a fresh value each run (bulkhead_run.py
// --seed-zone), or kDefaultSeed if that is 0. Call it after test::begin and
// before any fuzzing: it prints "<test>: seed 0x<16 hex digits>", the line
// the runner checks and a failure report needs (bulkhead_run.py --seed N
// replays it).
inline u64 seed_from(u64 boot_argument) {
    u64 seed = boot_argument ? boot_argument : kDefaultSeed;
    print("%s: seed 0x%016llx%s\n", name(), static_cast<unsigned long long>(seed),
          boot_argument ? "" : " (default: no boot-argument)");
    return seed;
}

} // namespace bh::test
