// SPDX-License-Identifier: GPL-2.0-only
// Time: the TSC is the counter (arch::now), the local APIC timer the
// hypervisor timer (arch::set_timer), in TSC-deadline mode when the CPU has it.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::x86_64 {

// On the boot CPU, before the other CPUs start: measures the TSC (and the
// APIC timer, without TSC-deadline) against the PIT, or reads CPUID 0x15.
// `held_up_once` (boot option pit-held-up, a test): the first measurement
// waits out the whole PIT count-down before its first reading, as a CPU
// held up there would (pit_calibration.hpp).
void timer_calibrate(bool held_up_once = false);
bool timer_tsc_deadline();
const char* timer_source(); // how the TSC frequency was found
void udelay(u64 us);
// The timer interrupt arrived: nothing is programmed any more.
void timer_fired();
// What this CPU's hypervisor timer is set to (0: nothing).
u64 timer_deadline();
// The loaded vCPU's own timer deadline (0: none): the hypervisor timer
// fires for whichever of it and the scheduler's deadline comes first.
void timer_set_guest_deadline(u64 deadline);

} // namespace bh::x86_64
