// SPDX-License-Identifier: GPL-2.0-only
// Pointer-authentication keys are per-vCPU secrets: zones use them without
// trapping (HCR_EL2.API/APK), so the hypervisor switches them with the vCPU.
#pragma once

#include <bulkhead/vcpu.hpp>

namespace bh::aarch64 {

void pauth_init_cpu(); // detects support; sets HCR bits via pauth_hcr_bits()
u64 pauth_hcr_bits();
void pauth_reset(Vcpu& v);
void pauth_load(const Vcpu& v);
void pauth_save(Vcpu& v);

} // namespace bh::aarch64
