// SPDX-License-Identifier: GPL-2.0-only
// IA32_TSC_AUX, which RDTSCP and RDPID return (operating systems keep the
// CPU number there). Neither VMCB nor VMCS holds it, and zones read it
// without an exit, so each vCPU has its own value (reset 0), written to
// the hardware when the vCPU is loaded on a CPU whose register holds
// another; WRMSR and RDMSR of it are emulated. Without RDTSCP and RDPID on
// the CPU the MSR does not exist for zones either (#GP).
#pragma once

#include <bulkhead/types.hpp>

namespace bh {
struct Vcpu;
}

namespace bh::x86_64 {

// Once, on the boot CPU.
void tsc_aux_init();
bool tsc_aux_offered();
void tsc_aux_load(const Vcpu& v);
// A zone's WRMSR: bits 63:32 are reserved (false: #GP).
[[nodiscard]] bool tsc_aux_write(Vcpu& v, u64 value);

} // namespace bh::x86_64
