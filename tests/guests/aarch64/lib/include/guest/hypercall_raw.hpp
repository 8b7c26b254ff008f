// SPDX-License-Identifier: GPL-2.0-only
// The raw Bulkhead hypercall on arm64: HVC #0 with the SMC Calling
// Convention (docs/hypercalls.md).
#pragma once

#include <bulkhead/abi/hypercall.h>
#include <guest/smccc.hpp>

namespace bh::hc {
inline SmcccResult call(u64 fn, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0, u64 a4 = 0) {
    return smccc_hvc(fn, a1, a2, a3, a4);
}
} // namespace bh::hc
