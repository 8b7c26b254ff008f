// SPDX-License-Identifier: GPL-2.0-only
#include "stage2_idle.hpp"

#include <arch/sysreg.hpp>
#include <arch/vmsa_format.hpp>

namespace bh::aarch64 {
namespace {

// A level-1 stage-2 table of invalid descriptors: translates nothing.
alignas(4096) const u64 empty_stage2[512] = {};
static_assert(sizeof empty_stage2 == 4096, "one table page");
constexpr u64 kReservedVmid = 0; // never given to a zone (zone_arch.cpp)

} // namespace

void stage2_idle() { BH_WRITE_SYSREG(vttbr_el2, (kReservedVmid << 48) | reinterpret_cast<u64>(empty_stage2)); }

} // namespace bh::aarch64
