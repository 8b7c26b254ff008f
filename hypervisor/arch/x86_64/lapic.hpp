// SPDX-License-Identifier: GPL-2.0-only
// This CPU's local APIC, in x2APIC mode (MSRs) when the CPU has it, else
// xAPIC (MMIO): end of interrupt, IPIs, and the timer.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::x86_64 {

// Chooses the mode once, on the boot CPU, before any CPU uses the APIC.
void lapic_setup(u64 mmio_base);
bool lapic_x2apic();
// Enables this CPU's APIC (and x2APIC mode), masks LINT0/1, points the
// timer at BH_VECTOR_TIMER in one-shot or TSC-deadline mode.
void lapic_init_cpu(bool tsc_deadline);
u32 lapic_id();
void lapic_eoi();
void lapic_send_fixed(u32 apic_id, u8 vector);
void lapic_send_init(u32 apic_id);
void lapic_send_startup(u32 apic_id, u8 page);
// One-shot timer in APIC timer ticks (divide by 1); 0 stops it.
void lapic_timer_start(u32 count);
u32 lapic_timer_current();

} // namespace bh::x86_64
