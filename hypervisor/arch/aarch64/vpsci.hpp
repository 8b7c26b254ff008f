// SPDX-License-Identifier: GPL-2.0-only
#pragma once

#include <bulkhead/vcpu.hpp>

namespace bh::aarch64 {

// Whether `fn` belongs to PSCI or the SMCCC architecture service.
bool is_psci_call(u64 fn);
// Handles a zone's PSCI call; returns the value for x0.
i64 handle_psci(Vcpu& v, u64 fn, u64 a1, u64 a2, u64 a3);

} // namespace bh::aarch64
