// SPDX-License-Identifier: GPL-2.0-only
#include "id_regs.hpp"

#include <arch/sysreg.hpp>

namespace bh::aarch64 {
namespace {

constexpr u64 field(unsigned shift) { return u64(0xf) << shift; }

u64 read_raw(u32 crm, u32 op2) {
    switch (crm * 8 + op2) {
#define BH_ID(m, n)                                                                                                    \
    case m * 8 + n:                                                                                                    \
        return BH_READ_SYSREG(s3_0_c0_c##m##_##n);
#define BH_ID_ROW(m) BH_ID(m, 0) BH_ID(m, 1) BH_ID(m, 2) BH_ID(m, 3) BH_ID(m, 4) BH_ID(m, 5) BH_ID(m, 6) BH_ID(m, 7)
        BH_ID_ROW(1) BH_ID_ROW(2) BH_ID_ROW(3) BH_ID_ROW(4) BH_ID_ROW(5) BH_ID_ROW(6) BH_ID_ROW(7)
#undef BH_ID_ROW
#undef BH_ID
    }
    return 0;
}

} // namespace

u64 read_id_register_for_zone(u32 crm, u32 op2) {
    u64 v = read_raw(crm, op2);
    switch (crm * 8 + op2) {
    case 4 * 8 + 0: // ID_AA64PFR0_EL1: SVE, SEL2, MPAM, AMU, RME
        return v & ~(field(32) | field(36) | field(40) | field(44) | field(52));
    case 4 * 8 + 1: // ID_AA64PFR1_EL1: MTE, MPAM_frac, SME, NMI, MTE_frac, GCS, THE
        return v & ~(field(8) | field(16) | field(24) | field(36) | field(40) | field(44) | field(48));
    case 4 * 8 + 2: // ID_AA64PFR2_EL1: MTE extensions, FPMR (HCRX_EL2.EnFPM)
    case 7 * 8 + 3: // ID_AA64MMFR3_EL1: TCR2, SCTLR2 (HCRX_EL2) and what builds on them (S1PIE, S1POE, D128...)
        return 0;
    case 6 * 8 + 1: // ID_AA64ISAR1_EL1: LS64 (HCRX_EL2.EnALS, EnAS0, EnASR)
        return v & ~field(60);
    case 6 * 8 + 2: // ID_AA64ISAR2_EL1: MOPS (HCRX_EL2.MSCEn). WFxT stays: WFIT is emulated (exit.cpp)
        return v & ~field(16);
    case 7 * 8 + 1: // ID_AA64MMFR1_EL1: HCX (an EL2 register; zones have no EL2)
        return v & ~field(40);
    case 4 * 8 + 4: // ID_AA64ZFR0_EL1 (SVE)
    case 4 * 8 + 5: // ID_AA64SMFR0_EL1 (SME)
        return 0;
    case 5 * 8 + 0: // ID_AA64DFR0_EL1: TraceVer, PMUVer, PMSVer (SPE), TraceFilt, TraceBuffer, MTPMU, BRBE
        return v & ~(field(4) | field(8) | field(32) | field(40) | field(44) | field(48) | field(52));
    case 2 * 8 + 2: // ID_DFR0_EL1 (AArch32 view): PerfMon
        return v & ~field(24);
    default: return v;
    }
}

} // namespace bh::aarch64
