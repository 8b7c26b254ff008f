// SPDX-License-Identifier: GPL-2.0-only
#include "cr4_policy.hpp"

#include <arch/x86.hpp>

namespace bh::x86_64 {

u64 cr4_supported() {
    x86::CpuidResult l1 = x86::cpuid(1), l7 = x86::cpuid(7, 0);
    auto has = [](u32 reg, unsigned bit) { return ((reg >> bit) & 1) != 0; };
    u64 s = cr4::kTsd | cr4::kPce; // architectural on every x86-64 CPU
    if (has(l1.edx, 1)) s |= cr4::kVme | cr4::kPvi;
    if (has(l1.edx, 2)) s |= cr4::kDe;
    if (has(l1.edx, 3)) s |= cr4::kPse;
    if (has(l1.edx, 6)) s |= cr4::kPae;
    if (has(l1.edx, 7)) s |= cr4::kMce;
    if (has(l1.edx, 13)) s |= cr4::kPge;
    if (has(l1.edx, 24)) s |= cr4::kOsfxsr;
    if (has(l1.edx, 25)) s |= cr4::kOsxmmexcpt;
    if (has(l1.ecx, 17)) s |= cr4::kPcide;
    if (has(l7.ebx, 0)) s |= cr4::kFsgsbase;
    if (has(l7.ebx, 7)) s |= cr4::kSmep;
    if (has(l7.ebx, 20)) s |= cr4::kSmap;
    if (has(l7.ecx, 2)) s |= cr4::kUmip;
    if (has(l7.ecx, 16)) s |= cr4::kLa57;
    return s & ~kCr4Refused;
}

} // namespace bh::x86_64
