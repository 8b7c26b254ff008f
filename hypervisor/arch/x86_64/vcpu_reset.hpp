// SPDX-License-Identifier: GPL-2.0-only
// What every reset of an x86 vCPU does whatever the back end: general
// registers (RIP = entry, RDI = arg, RSP below the boot page tables,
// RFLAGS = 0x2), FP state as after FNINIT with all SSE exceptions masked,
// debug registers, TSC_AUX, the local APIC and the interrupt bookkeeping,
// and a fresh TLB tag. The back end then resets its control block.
#pragma once

#include <bulkhead/types.hpp>

namespace bh {
struct Vcpu;
}

namespace bh::x86_64 {

void reset_vcpu_state(Vcpu& v, GuestPhys entry, u64 arg);
// A TLB tag no vCPU has had (a CPU flushes the ASID/VPID when the tag that
// last ran with it there differs).
u64 new_tlb_tag();

} // namespace bh::x86_64
