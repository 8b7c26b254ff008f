// SPDX-License-Identifier: GPL-2.0-only
// System registers by name (or by S<op0>_<op1>_C<n>_C<m>_<op2> encoding, for
// registers the assembler does not know without a -march extension).
#pragma once

#include <guest/types.hpp>

#define BH_MRS(reg)                                                                                                    \
    ({                                                                                                                 \
        ::bh::u64 bh_v_;                                                                                               \
        asm volatile("mrs %0, " #reg : "=r"(bh_v_)::"memory");                                                         \
        bh_v_;                                                                                                         \
    })
#define BH_MSR(reg, v) asm volatile("msr " #reg ", %0\n isb" ::"r"(static_cast<::bh::u64>(v)) : "memory")

namespace bh::sysreg {

// A field of `shift` bits' group of four, as the ID registers have them.
inline constexpr u64 id_field(u64 reg, unsigned shift) { return (reg >> shift) & 0xf; }

} // namespace bh::sysreg
