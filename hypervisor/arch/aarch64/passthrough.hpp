// SPDX-License-Identifier: GPL-2.0-only
// The host devices the control domain owns: QEMU virt's virtio-mmio
// transports, their MMIO windows mapped into its stage 2 at their physical
// addresses and their level-triggered SPIs forwarded to its virtual GIC
// through hardware list registers (docs/architecture.md, "Control domain").
#pragma once

#include <bulkhead/status.hpp>
#include <bulkhead/types.hpp>

namespace bh {
class Zone;
}

namespace bh::aarch64 {

// Gives `z` (the control domain, being built) every virtio-mmio transport
// of the boot DTB: windows mapped (device memory) and entered in its device
// registry, SPIs recorded as its own. busy: another zone has them.
[[nodiscard]] Status passthrough_attach(Zone& z);
// Takes them back when `z` is torn down: SPIs disabled and deactivated.
void passthrough_detach(Zone& z);

// A physical interrupt just acknowledged: if it is a passed-through SPI,
// its priority is dropped, it stays active, and the owner's virtual SPI is
// raised (true); the zone's deactivation ends it. False: not one of them.
bool passthrough_interrupt(u32 intid);
// Whether the zone holds `intid`'s physical interrupt (it no longer does
// after the call): its list register is then a hardware one.
bool passthrough_take(Zone& z, u32 intid);
// The zone enabled or disabled host SPI `intid`: so does the physical GIC,
// routed to `target_mpidr` (the CPU its target vCPU runs on).
void passthrough_enable(u32 intid, bool enable, u64 target_mpidr);

} // namespace bh::aarch64
