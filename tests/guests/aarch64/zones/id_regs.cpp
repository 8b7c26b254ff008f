// SPDX-License-Identifier: GPL-2.0-only
// The CPU features a zone's ID registers advertise are ones the hypervisor
// supports for it: nothing whose state is not switched (SVE, SME, MTE, AMU,
// MPAM, RME, PMU, SPE, trace) and nothing that needs an HCRX_EL2 enable the
// hypervisor leaves off (MOPS, TCR2, SCTLR2, GCS, LS64, NMI, THE), so a
// zone's kernel never turns on what then traps or half works. WFxT may be
// advertised: WFIT is emulated with its timeout (scenario wfit).
#include <guest/console.hpp>
#include <guest/sysreg.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

struct Hidden {
    const char* reg;
    const char* feature;
    u64 value;
    unsigned shift;
};

} // namespace

extern "C" void zone_main(u64) {
    test::begin("id-registers");
    u64 pfr0 = BH_MRS(id_aa64pfr0_el1), pfr1 = BH_MRS(id_aa64pfr1_el1);
    u64 dfr0 = BH_MRS(id_aa64dfr0_el1);
    u64 isar1 = BH_MRS(id_aa64isar1_el1), isar2 = BH_MRS(s3_0_c0_c6_2);
    u64 mmfr1 = BH_MRS(id_aa64mmfr1_el1), mmfr3 = BH_MRS(s3_0_c0_c7_3);
    u64 zfr0 = BH_MRS(s3_0_c0_c4_4), smfr0 = BH_MRS(s3_0_c0_c4_5);
    print("PFR0 0x%llx PFR1 0x%llx DFR0 0x%llx ISAR1 0x%llx ISAR2 0x%llx MMFR1 0x%llx MMFR3 0x%llx\n",
          static_cast<ull>(pfr0), static_cast<ull>(pfr1), static_cast<ull>(dfr0), static_cast<ull>(isar1),
          static_cast<ull>(isar2), static_cast<ull>(mmfr1), static_cast<ull>(mmfr3));
    const Hidden hidden[] = {
        {"ID_AA64PFR0_EL1", "SVE", pfr0, 32},    {"ID_AA64PFR0_EL1", "MPAM", pfr0, 40},
        {"ID_AA64PFR0_EL1", "AMU", pfr0, 44},    {"ID_AA64PFR0_EL1", "RME", pfr0, 52},
        {"ID_AA64PFR1_EL1", "MTE", pfr1, 8},     {"ID_AA64PFR1_EL1", "SME", pfr1, 24},
        {"ID_AA64PFR1_EL1", "NMI", pfr1, 36},    {"ID_AA64PFR1_EL1", "GCS", pfr1, 44},
        {"ID_AA64PFR1_EL1", "THE", pfr1, 48},    {"ID_AA64DFR0_EL1", "PMUVer", dfr0, 8},
        {"ID_AA64DFR0_EL1", "PMSVer", dfr0, 32}, {"ID_AA64DFR0_EL1", "TraceVer", dfr0, 4},
        {"ID_AA64ISAR1_EL1", "LS64", isar1, 60}, {"ID_AA64ISAR2_EL1", "MOPS", isar2, 16},
        {"ID_AA64MMFR3_EL1", "TCR2", mmfr3, 0},  {"ID_AA64MMFR3_EL1", "SCTLR2", mmfr3, 4},
        {"ID_AA64MMFR1_EL1", "HCX", mmfr1, 40},
    };
    for (const Hidden& h : hidden) {
        u64 f = sysreg::id_field(h.value, h.shift);
        test::check(f == 0, "%s.%s = %llu: advertised to the zone", h.reg, h.feature, static_cast<ull>(f));
    }
    test::check(zfr0 == 0, "ID_AA64ZFR0_EL1 = 0x%llx (SVE features)", static_cast<ull>(zfr0));
    test::check(smfr0 == 0, "ID_AA64SMFR0_EL1 = 0x%llx (SME features)", static_cast<ull>(smfr0));
    print("WFxT %s advertised\n", sysreg::id_field(isar2, 0) ? "is" : "is not");
    test::finish();
}
