// SPDX-License-Identifier: GPL-2.0-only
// Starting further vCPUs of a zone with PSCI CPU_ON, each into a C++
// function on its own stack.
#pragma once

#include <guest/types.hpp>

namespace bh::smp {

using Entry = void (*)(u64 arg);

// CPU_ON(vcpu, _start, context); the new vCPU then calls fn(arg) and powers
// itself off (CPU_OFF) if fn returns. Returns the PSCI status.
i64 start_vcpu(u32 vcpu, Entry fn, u64 arg, u64 context = 0);

// The x0 that the given vCPU found at entry (the CPU_ON context).
u64 entry_context(u32 vcpu);

} // namespace bh::smp
