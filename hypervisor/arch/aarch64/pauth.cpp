// SPDX-License-Identifier: GPL-2.0-only
#include "pauth.hpp"

#include <arch/sysreg.hpp>

namespace bh::aarch64 {
namespace {

bool supported = false;
// APIA, APIB, APDA, APDB, APGA keys, low then high half each.
struct Keys {
    u64 k[10];
};
static_assert(sizeof(Keys) == 80);

Keys& keys_of(Vcpu& v) { return *reinterpret_cast<Keys*>(v.ctx.pauth_keys); }
const Keys& keys_of(const Vcpu& v) { return *reinterpret_cast<const Keys*>(v.ctx.pauth_keys); }

} // namespace

void pauth_init_cpu() {
    u64 isar1 = BH_READ_SYSREG(id_aa64isar1_el1);
    u64 isar2 = BH_READ_SYSREG(s3_0_c0_c6_2); // ID_AA64ISAR2_EL1
    bool address = ((isar1 >> 4) & 0xf) || ((isar1 >> 8) & 0xf) || ((isar2 >> 12) & 0xf);
    bool generic = ((isar1 >> 24) & 0xf) || ((isar1 >> 28) & 0xf) || ((isar2 >> 8) & 0xf);
    supported = address || generic;
}

u64 pauth_hcr_bits() { return supported ? (1ull << 41) | (1ull << 40) : 0; } // API, APK

void pauth_reset(Vcpu& v) {
    for (u64& k : keys_of(v).k) k = 0;
}

// An X-macro table, laid out by hand:
// clang-format off
#define BH_PAUTH_KEYS(X)                                                                             \
    X(0, s3_0_c2_c1_0) X(1, s3_0_c2_c1_1) X(2, s3_0_c2_c1_2) X(3, s3_0_c2_c1_3) X(4, s3_0_c2_c2_0) \
        X(5, s3_0_c2_c2_1) X(6, s3_0_c2_c2_2) X(7, s3_0_c2_c2_3) X(8, s3_0_c2_c3_0) X(9, s3_0_c2_c3_1)
// clang-format on

void pauth_load(const Vcpu& v) {
    if (!supported) return;
    const Keys& k = keys_of(v);
#define BH_LOAD_KEY(i, reg) BH_WRITE_SYSREG(reg, k.k[i]);
    BH_PAUTH_KEYS(BH_LOAD_KEY)
#undef BH_LOAD_KEY
}

void pauth_save(Vcpu& v) {
    if (!supported) return;
    Keys& k = keys_of(v);
#define BH_SAVE_KEY(i, reg) k.k[i] = BH_READ_SYSREG(reg);
    BH_PAUTH_KEYS(BH_SAVE_KEY)
#undef BH_SAVE_KEY
}

} // namespace bh::aarch64
