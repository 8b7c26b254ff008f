// SPDX-License-Identifier: GPL-2.0-only
// Interrupts on, for tests that only need their own timer: each arch's
// controller set up for the calling vCPU (arm64: the GIC distributor and
// this vCPU's CPU interface; x86: its local APIC, in x2APIC mode), and
// interrupts unmasked on it.
#pragma once

namespace bh::interrupts {

void init_boot_vcpu();

} // namespace bh::interrupts
