// SPDX-License-Identifier: GPL-2.0-only
// GICv3 as a zone sees it (and as bare QEMU virt has it): distributor,
// one redistributor per vCPU, and the system-register CPU interface.
#pragma once

#include <guest/types.hpp>

namespace bh::gic {

#ifdef BH_GUEST_PLATFORM_XEN // Xen's domU layout (GUEST_GICV3_GICD_BASE, GUEST_GICV3_GICR0_BASE)
inline constexpr u64 kGicd = 0x03001000;
#else
inline constexpr u64 kGicd = 0x08000000;
#endif
inline constexpr u64 kGicdCtlr = kGicd + 0x0;
inline constexpr u64 kGicdTyper = kGicd + 0x4;
#ifdef BH_GUEST_PLATFORM_XEN
inline constexpr u64 kGicr = 0x03020000;
#else
inline constexpr u64 kGicr = 0x080a0000;
#endif
inline constexpr u64 kGicrStride = 0x20000;
inline constexpr u32 kSpurious = 1023;

inline u64 redistributor(u32 vcpu) { return kGicr + u64(vcpu) * kGicrStride; }
inline u64 sgi_frame(u32 vcpu) { return redistributor(vcpu) + 0x10000; }

// Enables group 1 in the distributor; once per zone, on vCPU 0.
void init_distributor();
// Wakes the calling vCPU's redistributor, puts its SGIs and PPIs in group 1
// and enables its CPU interface. Leaves IRQs masked in PSTATE.
void init_cpu();
// Enables or disables an SGI or PPI (INTID < 32) on the calling vCPU.
void enable_local(u32 intid);
void disable_local(u32 intid);

// Sends SGI `intid` to vCPU `target`, or to every vCPU but the caller.
void send_sgi(u32 intid, u32 target);
void send_sgi_others(u32 intid);

// GICD_TYPER.ITLinesNumber: the zone has 32 * (N + 1) INTIDs.
u32 it_lines_number();

// Acknowledge and end of interrupt on the calling vCPU (group 1).
u32 acknowledge();
void end_of_interrupt(u32 iar);

} // namespace bh::gic
