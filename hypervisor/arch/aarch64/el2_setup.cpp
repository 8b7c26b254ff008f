// SPDX-License-Identifier: GPL-2.0-only
// EL2 controls that are the same for every zone, set once per CPU.
#include "el2_setup.hpp"

#include "cpu_features.hpp"
#include "debug_regs.hpp"
#include "pauth.hpp"
#include "stage2_idle.hpp"

#include <arch/sysreg.hpp>
#include <arch/vmsa_format.hpp>

namespace bh::aarch64 {
namespace {

enum : u64 {
    kHcrVm = 1ull << 0,   // stage 2 on
    kHcrSwio = 1ull << 1, // set/way invalidate as clean+invalidate
    kHcrFmo = 1ull << 3,
    kHcrImo = 1ull << 4,
    kHcrAmo = 1ull << 5, // physical FIQ/IRQ/SError to EL2
    kHcrFb = 1ull << 9,  // broadcast TLB and I-cache maintenance
    kHcrBsuIs = 1ull << 10,
    kHcrTwi = 1ull << 13,  // WFI traps: an idle vCPU gives up its CPU
    kHcrTid3 = 1ull << 18, // ID registers trap: zones see only what is switched (id_regs.cpp)
    kHcrTsc = 1ull << 19,  // SMC traps: PSCI by SMC goes to the zone's PSCI
    kHcrTacr = 1ull << 21,
    kHcrRw = 1ull << 31,   // EL1 is AArch64
    kHcrTlor = 1ull << 35, // LORegion registers trap (ras_lor.cpp)
    kHcrTerr = 1ull << 36, // RAS error-record registers trap (ras_lor.cpp)
};

enum : u64 {
    kMdcrHpmnMask = 0x1f,
    kMdcrTpmcr = 1u << 5,
    kMdcrTpm = 1u << 6,   // PMU registers trap
    kMdcrTpms = 1u << 14, // SPE registers trap
    kMdcrTtrf = 1u << 19, // trace filter registers trap
};

// MDCR_EL2: the PMU, SPE and trace filter are hidden from zones
// (id_regs.cpp) and their registers trap, so no zone reads counters another
// zone drove; the debug registers trap and are emulated per vCPU
// (debug_regs.cpp). HPMN keeps its reset value.
u64 mdcr_el2() {
    const CpuFeatures& f = cpu_features();
    u64 v = debug_mdcr_bits();
    if (f.pmu) v |= ((BH_READ_SYSREG(pmcr_el0) >> 11) & kMdcrHpmnMask) | kMdcrTpmcr | kMdcrTpm;
    if (f.spe) v |= kMdcrTpms;
    if (f.trace_filter) v |= kMdcrTtrf;
    return v;
}

u64 hcr_el2() {
    const CpuFeatures& f = cpu_features();
    u64 v = kHcrVm | kHcrSwio | kHcrFmo | kHcrImo | kHcrAmo | kHcrFb | kHcrBsuIs | kHcrTwi | kHcrTid3 | kHcrTsc |
            kHcrTacr | kHcrRw | pauth_hcr_bits();
    if (f.lor) v |= kHcrTlor;
    if (f.ras) v |= kHcrTerr;
    return v;
}

// VTCR_EL2: 39-bit IPA, start at level 1, 4 KiB granule, inner-shareable WB walks.
u64 vtcr_el2() {
    u64 parange = BH_READ_SYSREG(id_aa64mmfr0_el1) & 0xf;
    if (parange > 5) parange = 5;
    constexpr u64 kRes1 = 1ull << 31;
    return kRes1 | (parange << 16) | (0ull << 14) | (3ull << 12) | (1ull << 10) | (1ull << 8) |
           (1ull << 6) /* SL0: level 1 */ | (64 - Stage2Format::kInputBits);
}

} // namespace

void el2_setup_cpu() {
    cpu_features_init();
    pauth_init_cpu();
    BH_WRITE_SYSREG(hcr_el2, hcr_el2());
    // Every HCRX_EL2 enable off: zones get none of MOPS, TCR2, SCTLR2, GCS,
    // LS64, NMI (hidden in id_regs.cpp; their instructions and registers
    // are undefined for EL1).
    if (cpu_features().hcx) BH_WRITE_SYSREG(s3_4_c1_c2_2, 0); // HCRX_EL2
    BH_WRITE_SYSREG(vtcr_el2, vtcr_el2());
    // FP/SIMD for zones without traps (switched with the vCPU); SVE, SME and
    // trace trap (their state is not switched).
    constexpr u64 kCptrRes1 = 0xff | (1u << 9) | (1u << 13);
    BH_WRITE_SYSREG(cptr_el2, kCptrRes1 | (1u << 8) /* TZ */ | (1u << 12) /* TSM */ | (1u << 20) /* TTA */);
    // EL1 may use the physical counter and the EL1 physical timer directly:
    // the timer is switched with the vCPU like the virtual one.
    BH_WRITE_SYSREG(cnthctl_el2, (1u << 0) | (1u << 1));
    BH_WRITE_SYSREG(cntp_ctl_el0, 0);
    BH_WRITE_SYSREG(cntvoff_el2, 0);
    stage2_idle();
    BH_WRITE_SYSREG(vpidr_el2, BH_READ_SYSREG(midr_el1));
    BH_WRITE_SYSREG(mdcr_el2, mdcr_el2());
    debug_init_cpu();
    // The hypervisor's own timer starts off.
    BH_WRITE_SYSREG(cnthp_ctl_el2, 0);
    isb();
}

} // namespace bh::aarch64
