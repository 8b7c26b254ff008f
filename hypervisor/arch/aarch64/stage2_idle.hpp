// SPDX-License-Identifier: GPL-2.0-only
// What VTTBR_EL2 holds while no vCPU is loaded on a CPU: the reserved VMID 0
// and an empty stage-2 table, never a zone's (its tables may be freed, and
// reused, while the CPU idles).
#pragma once

namespace bh::aarch64 {

void stage2_idle();

} // namespace bh::aarch64
