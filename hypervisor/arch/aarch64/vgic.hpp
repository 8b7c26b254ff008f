// SPDX-License-Identifier: GPL-2.0-only
// Virtual GICv3 for zones: emulated distributor and redistributors, SGIs by
// trapped ICC_SGI1R_EL1 writes, delivery through the list registers.
#pragma once

#include <bulkhead/device_registry.hpp>
#include <bulkhead/vcpu.hpp>

namespace bh {
class Zone;
}

namespace bh::aarch64 {

inline constexpr GuestPhys kVgicdBase{0x08000000};
inline constexpr u64 kVgicdSize = 0x10000;
inline constexpr GuestPhys kVgicrBase{0x080a0000};
inline constexpr u64 kVgicrStride = 0x20000;

void vgic_init_cpu(); // reads how many list registers this CPU has
void vgic_zone_init(Zone& z);
void vgic_vcpu_reset(Vcpu& v);
void vgic_load(Vcpu& v);
void vgic_save(Vcpu& v);

// Marks `intid` pending for `v` and makes sure it will see it.
void vgic_raise(Vcpu& v, u32 intid);
// Moves pending interrupts of the loaded vCPU into free list registers.
void vgic_flush(Vcpu& v);
bool vgic_has_pending(const Vcpu& v);

// Timer t's physical PPI was acknowledged (and its priority dropped) while
// `v` ran: it is the vCPU's until the zone deactivates it.
void vgic_timer_fired(Vcpu& v, unsigned t);
// Whether the loaded vCPU holds timer t's interrupt, not yet in a list register.
bool vgic_timer_held(const Vcpu& v, unsigned t);
// Withdraws timer interrupts the loaded vCPU has not taken whose line dropped.
void vgic_resample(Vcpu& v);
void vgic_maintenance();
u8 vgic_priority(const Vcpu& v, u32 intid);
unsigned vgic_lr_count();

// Per-interrupt state as the GIC registers show it (vgic_irq_state.cpp):
// the pending bits, the list registers of `t` (if it is loaded on this CPU,
// or saved), and for the timers their line.
u32 vgic_pending_word(Vcpu& t, unsigned word);
u32 vgic_active_word(Vcpu& t, unsigned word);
// Each bit of `bits` in bank `word` of `t`:
void vgic_clear_pending(Vcpu& t, unsigned word, u32 bits);
void vgic_set_active(Vcpu& t, unsigned word, u32 bits, bool active);
// Interrupts just disabled: pending ones go back from the list registers
// to the pending bits (a disabled interrupt is not delivered).
void vgic_disabled(Vcpu& t, unsigned word, u32 bits);
void vgic_sgi_write(Vcpu& v, u64 value);

// The zone's distributor and redistributor windows, as device models of
// its registry (stateless: the state is the zone's and its vCPUs').
struct VgicDistributorWindow {
    bool access(Vcpu& v, DeviceAccess& a);
};
struct VgicRedistributorWindow {
    bool access(Vcpu& v, DeviceAccess& a);
};

} // namespace bh::aarch64
