// SPDX-License-Identifier: GPL-2.0-only
// One SMC Calling Convention call over `hvc #0`: the function ID in x0,
// arguments in x1..x6, results in x0..x4. Both PSCI and the Bulkhead
// hypercalls use it. SMCCC 1.0 lets the callee clobber x4..x17, so all of
// them are declared clobbered.
#pragma once

#include <guest/types.hpp>

namespace bh {

struct SmcccResult {
    i64 status; // x0: 0 or a negative error
    u64 r1, r2, r3, r4;
};

inline SmcccResult smccc_hvc(u64 fn, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0, u64 a4 = 0, u64 a5 = 0, u64 a6 = 0) {
    register u64 x0 asm("x0") = fn;
    register u64 x1 asm("x1") = a1;
    register u64 x2 asm("x2") = a2;
    register u64 x3 asm("x3") = a3;
    register u64 x4 asm("x4") = a4;
    register u64 x5 asm("x5") = a5;
    register u64 x6 asm("x6") = a6;
    asm volatile("hvc #0"
                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6)
                 :
                 : "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
    return {static_cast<i64>(x0), x1, x2, x3, x4};
}

} // namespace bh
