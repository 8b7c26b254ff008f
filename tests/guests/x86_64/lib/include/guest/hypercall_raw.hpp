// SPDX-License-Identifier: GPL-2.0-only
// The raw Bulkhead hypercall on x86-64: VMMCALL (AMD SVM)
// or VMCALL (Intel VMX), as CPUID leaf 0x40000001 says, with the function
// ID in RAX, arguments in RDI, RSI, RDX, R10, R8, R9; status in RAX,
// results in RDI, RSI, RDX, R10 (docs/hypercalls.md).
#pragma once

#include <bulkhead/abi/hypercall.h>
#include <guest/types.hpp>

namespace bh {

struct HcResult {
    i64 status;
    u64 r1, r2, r3, r4;
};
using SmcccResult = HcResult; // the name the arm64 test sources use

// The raw call; fn may be any value (unknown-ID tests).
HcResult hypercall(u64 fn, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0, u64 a4 = 0, u64 a5 = 0, u64 a6 = 0);

} // namespace bh

namespace bh::hc {
inline SmcccResult call(u64 fn, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0, u64 a4 = 0) {
    return hypercall(fn, a1, a2, a3, a4);
}
} // namespace bh::hc
