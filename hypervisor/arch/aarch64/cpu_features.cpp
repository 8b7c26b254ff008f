// SPDX-License-Identifier: GPL-2.0-only
#include "cpu_features.hpp"

#include <arch/sysreg.hpp>

namespace bh::aarch64 {
namespace {

CpuFeatures features;

constexpr u64 field(u64 reg, unsigned shift) { return (reg >> shift) & 0xf; }

} // namespace

void cpu_features_init() {
    u64 dfr0 = BH_READ_SYSREG(id_aa64dfr0_el1);
    u64 pfr0 = BH_READ_SYSREG(id_aa64pfr0_el1);
    u64 pfr1 = BH_READ_SYSREG(id_aa64pfr1_el1);
    u64 mmfr1 = BH_READ_SYSREG(id_aa64mmfr1_el1);
    u64 isar2 = BH_READ_SYSREG(s3_0_c0_c6_2); // ID_AA64ISAR2_EL1
    CpuFeatures f{};
    f.breakpoints = static_cast<u32>(field(dfr0, 12)) + 1;
    f.watchpoints = static_cast<u32>(field(dfr0, 20)) + 1;
    f.double_lock = field(dfr0, 36) != 0xf;
    f.pmu = field(dfr0, 8) != 0 && field(dfr0, 8) != 0xf;
    f.spe = field(dfr0, 32) != 0;
    f.trace_filter = field(dfr0, 40) != 0;
    f.ras = field(pfr0, 28) != 0;
    f.lor = field(mmfr1, 16) != 0;
    f.hcx = field(mmfr1, 40) != 0;
    f.pan = field(mmfr1, 20) != 0;
    f.uao = field(BH_READ_SYSREG(id_aa64mmfr2_el1), 4) != 0;
    f.sme = field(pfr1, 24) != 0;
    f.mte = field(pfr1, 8) != 0;
    f.ssbs = field(pfr1, 4) != 0;
    f.wfxt = field(isar2, 0) != 0;
    features = f;
}

const CpuFeatures& cpu_features() { return features; }

} // namespace bh::aarch64
