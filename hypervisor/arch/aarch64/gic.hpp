// SPDX-License-Identifier: GPL-2.0-only
// The host's GICv3, owned by the hypervisor: distributor, this CPU's
// redistributor and the system-register CPU interface.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::aarch64 {

inline constexpr u32 kSgiKick = 0;         // "take an exit, something changed"
inline constexpr u32 kSgiPoke = 1;         // "take an exit, your vCPU has a new interrupt"
inline constexpr u32 kPpiMaintenance = 25; // GIC virtual CPU interface maintenance
inline constexpr u32 kPpiHypTimer = 26;    // CNTHP, the scheduler's timer
inline constexpr u32 kPpiVirtTimer = 27;   // CNTV, a zone's virtual timer
inline constexpr u32 kPpiPhysTimer = 30;   // CNTP, a zone's EL1 physical timer
inline constexpr u32 kIntidSpurious = 1023;

void gic_init_distributor();
// Wakes and configures this CPU's redistributor and CPU interface.
bool gic_init_cpu(u64 mpidr);
void gic_send_sgi(u32 intid, u64 target_mpidr);
// Routes an SPI to one CPU and enables it.
void gic_enable_spi(u32 intid, u64 target_mpidr);
void gic_disable_spi(u32 intid);
u32 gic_acknowledge();
// Whether another interrupt is pending for this CPU (ISR_EL1.I: the CPU's
// own view, not a GIC register, so much cheaper to ask under emulation).
bool gic_irq_pending();
// EOImode 1: priority drop and deactivation are separate (a timer PPI
// handed to a vCPU stays active until the zone deactivates it).
void gic_end(u32 intid); // both
void gic_priority_drop(u32 intid);
void gic_deactivate(u32 intid);
unsigned gic_list_registers();

} // namespace bh::aarch64
