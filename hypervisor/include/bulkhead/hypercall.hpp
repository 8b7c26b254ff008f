// SPDX-License-Identifier: GPL-2.0-only
// Hypercall dispatch for Bulkhead's own calls (the arch routes PSCI and
// other standard services itself).
#pragma once

#include <bulkhead/hypercall_decode.hpp>
#include <bulkhead/vcpu.hpp>

namespace bh {

HypercallResult handle_hypercall(Vcpu& caller, const HypercallArgs& args);

} // namespace bh
