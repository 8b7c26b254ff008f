// SPDX-License-Identifier: GPL-2.0-only
// Starting further vCPUs of an x86 zone with BH_HC_VCPU_ON, each into a C++
// function on its own stack.
#pragma once

#include <guest/types.hpp>

namespace bh::smp {

using Entry = void (*)(u64 arg);

// The vCPU calls fn(arg), then halts for good if fn returns. Returns the
// hypercall's status.
i64 start_vcpu(u32 vcpu, Entry fn, u64 arg);

// bh_secondary_start, for tests of the call's argument checks.
u64 secondary_entry();

// For starting a vCPU another way (INIT-SIPI-SIPI): records fn and arg for
// it and returns the top of its stack, which bh_secondary_start wants in RDI.
u64 prepare(u32 vcpu, Entry fn, u64 arg);

} // namespace bh::smp
