// SPDX-License-Identifier: GPL-2.0-only
#pragma once

#include "acpi.hpp"

namespace bh::x86_64 {

// Starts every other CPU the MADT lists, one at a time, with
// INIT-SIPI-SIPI through the real-mode trampoline; each ends in
// x86_64_boot_secondary(index). Returns once each is online or given up.
void smp_start(const Madt& madt, u32 self_apic_id);

} // namespace bh::x86_64
