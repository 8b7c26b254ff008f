// SPDX-License-Identifier: GPL-2.0-only
#include <guest/debug_regs.hpp>
#include <guest/sysreg.hpp>

namespace bh::debug {

u32 breakpoints() { return static_cast<u32>(sysreg::id_field(BH_MRS(id_aa64dfr0_el1), 12)) + 1; }
u32 watchpoints() { return static_cast<u32>(sysreg::id_field(BH_MRS(id_aa64dfr0_el1), 20)) + 1; }

// An X-macro table, laid out by hand:
// clang-format off
#define BH_DBG_CASES(X, kind) X(kind, 0) X(kind, 1) X(kind, 2) X(kind, 3) X(kind, 4) X(kind, 5) X(kind, 6) X(kind, 7) \
    X(kind, 8) X(kind, 9) X(kind, 10) X(kind, 11) X(kind, 12) X(kind, 13) X(kind, 14) X(kind, 15)
// clang-format on
// An X-macro table, laid out by hand:
// clang-format off
#define BH_DBG_READ_CASE(kind, i) \
    case i: return BH_MRS(dbg##kind##i##_el1);
// clang-format on
// An X-macro table, laid out by hand:
// clang-format off
#define BH_DBG_WRITE_CASE(kind, i) \
    case i: BH_MSR(dbg##kind##i##_el1, v); return;
// clang-format on
// An X-macro table, laid out by hand:
// clang-format off
#define BH_DBG_ACCESSORS(kind)                                  \
    u64 read_##kind(u32 n) {                                    \
        switch (n) { BH_DBG_CASES(BH_DBG_READ_CASE, kind) }     \
        return 0;                                               \
    }                                                           \
    void write_##kind(u32 n, u64 v) {                           \
        switch (n) { BH_DBG_CASES(BH_DBG_WRITE_CASE, kind) }    \
    }
// clang-format on

BH_DBG_ACCESSORS(bvr)
BH_DBG_ACCESSORS(bcr)
BH_DBG_ACCESSORS(wvr)
BH_DBG_ACCESSORS(wcr)

} // namespace bh::debug
