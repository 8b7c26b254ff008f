// SPDX-License-Identifier: GPL-2.0-only
// A trapped MSR/MRS (ESR class 0x18) as the emulation handlers see it.
#pragma once

#include "esr.hpp"

#include <bulkhead/vcpu.hpp>

namespace bh::aarch64 {

struct SysregAccess {
    u32 op0, op1, crn, crm, op2;
    bool read;
    u64 value; // what MSR writes; what MRS returns (set by the handler)

    constexpr bool is(u32 o0, u32 o1, u32 n, u32 m, u32 o2) const {
        return op0 == o0 && op1 == o1 && crn == n && crm == m && op2 == o2;
    }
};

enum class SysregResult : u8 {
    not_mine,  // another handler's register
    done,      // emulated: the instruction completes
    undefined, // the zone gets an Undefined Instruction exception
};

// Emulation handlers, tried in turn by exit.cpp.
[[nodiscard]] SysregResult debug_sysreg(Vcpu& v, SysregAccess& a);   // debug_regs.cpp
[[nodiscard]] SysregResult ras_lor_sysreg(Vcpu& v, SysregAccess& a); // ras_lor.cpp

} // namespace bh::aarch64
