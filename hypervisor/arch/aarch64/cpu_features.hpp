// SPDX-License-Identifier: GPL-2.0-only
// What the host CPU implements, read from its ID registers once at boot,
// for the state the hypervisor switches, traps or hides.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::aarch64 {

struct CpuFeatures {
    u32 breakpoints, watchpoints; // ID_AA64DFR0_EL1.BRPs + 1, WRPs + 1
    bool double_lock;             // FEAT_DoubleLock: OSDLR_EL1
    bool pmu, spe, trace_filter;
    bool ras;  // FEAT_RAS: DISR_EL1 / VDISR_EL2, error records
    bool lor;  // FEAT_LOR
    bool hcx;  // FEAT_HCX: HCRX_EL2
    bool sme;  // FEAT_SME: TPIDR2_EL0
    bool mte;  // FEAT_MTE: PSTATE.TCO
    bool ssbs; // FEAT_SSBS: PSTATE.SSBS, SCTLR_EL1.DSSBS
    bool pan;  // FEAT_PAN: PSTATE.PAN, SCTLR_EL1.SPAN
    bool uao;  // FEAT_UAO
    bool wfxt; // FEAT_WFxT
};

// Reads the ID registers (every CPU calls it; they agree on QEMU virt).
void cpu_features_init();
const CpuFeatures& cpu_features();

} // namespace bh::aarch64
