// SPDX-License-Identifier: GPL-2.0-only
// The CPU feature ID registers a zone sees (HCR_EL2.TID3): the host's, less
// the features whose state the hypervisor does not switch per vCPU (SVE,
// SME, MTE, AMU, MPAM, PMU, SPE, trace) and those that need an HCRX_EL2
// enable the hypervisor leaves off (MOPS, TCR2, SCTLR2 and what builds on
// them, GCS, LS64, FPMR, NMI, THE), so a zone's kernel never uses them.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::aarch64 {

// Whether (crm, op2) with op0 3, op1 0, CRn 0 is an ID register TID3 traps.
constexpr bool is_id_register(u32 op0, u32 op1, u32 crn, u32 crm) {
    return op0 == 3 && op1 == 0 && crn == 0 && crm >= 1 && crm <= 7;
}
u64 read_id_register_for_zone(u32 crm, u32 op2);

} // namespace bh::aarch64
