// SPDX-License-Identifier: GPL-2.0-only
// RAS error records and LORegions as a zone sees them: none. Their
// registers trap (HCR_EL2.TERR, TLOR) instead of reaching the CPU's, which
// no zone may read or set for the next one. ERRIDR_EL1.NUM = 0 (no error
// record: ERRSELR_EL1 and ERX* are RAZ/WI) and LORID_EL1 = 0 (no LORegion:
// LORSA/LOREA/LORN/LORC are RES0), which is what the architecture allows an
// implementation of FEAT_RAS and FEAT_LOR to have.
#include "sysreg_trap.hpp"

namespace bh::aarch64 {

SysregResult ras_lor_sysreg(Vcpu&, SysregAccess& a) {
    if (a.op0 != 3 || a.op1 != 0) return SysregResult::not_mine;
    bool ras = a.crn == 5 && a.crm >= 3 && a.crm <= 5;                  // ERRIDR, ERRSELR, ERX*
    bool lor = a.crn == 10 && a.crm == 4 && (a.op2 <= 3 || a.op2 == 7); // LORSA/EA/N/C, LORID
    if (!ras && !lor) return SysregResult::not_mine;
    bool read_only = (ras && a.crm == 3 && a.op2 == 0) || (lor && a.op2 == 7); // ERRIDR_EL1, LORID_EL1
    if (read_only && !a.read) return SysregResult::undefined;
    if (a.read) a.value = 0;
    return SysregResult::done;
}

} // namespace bh::aarch64
