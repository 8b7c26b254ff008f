// SPDX-License-Identifier: GPL-2.0-only
// Test verdicts, in the spirit of Xen's XTF and Hafnium's hftest. A test
// zone names its test once, may print detail lines, and ends with exactly one
//     BULKHEAD-TEST <name>: <VERDICT>
// line (SUCCESS, SKIP, FAILURE, ERROR or CRASH), after which the zone exits:
// code 0 for SUCCESS and SKIP, non-zero otherwise. The scenario runner reads
// these lines from the console.
#pragma once

#include <guest/types.hpp>

namespace bh::test {

enum class Verdict { success, skip, failure, error, crash };

inline constexpr u64 kExitFailure = 1;
inline constexpr u64 kExitError = 2;
inline constexpr u64 kExitCrash = 3;

// Names the running test; call it first thing in zone_main.
void begin(const char* name);
const char* name();

// Records a failed expectation (any vCPU may call it) and prints a detail
// line saying what failed. Returns ok, so callers can stop early.
__attribute__((format(printf, 2, 3))) bool check(bool ok, const char* fmt, ...);
u32 failures();

// Print the verdict line and end the zone.
[[noreturn]] void finish(); // SUCCESS if nothing failed, else FAILURE
[[noreturn]] void success();
[[noreturn]] __attribute__((format(printf, 1, 2))) void skip(const char* fmt, ...);
[[noreturn]] __attribute__((format(printf, 1, 2))) void fail(const char* fmt, ...);
// ERROR: the test could not run as designed (broken setup, not a finding).
[[noreturn]] __attribute__((format(printf, 1, 2))) void error(const char* fmt, ...);
// CRASH: used by the unexpected-exception handler.
[[noreturn]] void crash();

// Ends the zone with `code` without printing a verdict (child zones that
// report only through their exit code). On bare QEMU: PSCI SYSTEM_OFF.
[[noreturn]] void exit_zone(u64 code);

} // namespace bh::test

// Detail lines name the source line of the failed expectation.
#define BH_EXPECT(cond) ::bh::test::check((cond), "%s:%d: expected %s", __FILE__, __LINE__, #cond)
#define BH_EXPECT_EQ(actual, expected)                                                                                 \
    ([&]() -> bool {                                                                                                   \
        auto bh_a_ = (actual);                                                                                         \
        auto bh_e_ = (expected);                                                                                       \
        return ::bh::test::check(bh_a_ == bh_e_, "%s:%d: %s is %lld (0x%llx), expected %lld (0x%llx)", __FILE__,       \
                                 __LINE__, #actual, static_cast<long long>(bh_a_),                                     \
                                 static_cast<unsigned long long>(bh_a_), static_cast<long long>(bh_e_),                \
                                 static_cast<unsigned long long>(bh_e_));                                              \
    }())
