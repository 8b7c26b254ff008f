// SPDX-License-Identifier: GPL-2.0-only
// A vCPU's debug registers. DR7 lives in the VMCB and in the VMCS (entry
// loads it, exit saves it), DR6 in the VMCB; DR0-DR3, and DR6 under VMX,
// are plain hardware registers that nothing switches. They are switched
// lazily, as KVM and Xen do: MOV DR is intercepted until a vCPU first
// touches a debug register, and on that exit its registers become live,
// are loaded, the intercept is dropped and the instruction runs again.
// A live vCPU's registers are loaded and saved with it; one that never
// used them costs nothing at a switch and can read nothing another zone
// left (its DR7 enables no breakpoint, and reading DR0-DR3 exits first).
#pragma once

#include <bulkhead/types.hpp>

namespace bh {
struct Vcpu;
}

namespace bh::arch {
struct VcpuContext;
}

namespace bh::x86_64 {

void debug_regs_reset(arch::VcpuContext& ctx);
// With the vCPU: DR0-DR3 of a live vCPU (DR6 is the back end's).
void debug_regs_load(const arch::VcpuContext& ctx);
void debug_regs_save(arch::VcpuContext& ctx);
// The first MOV DR since reset: the registers become live and are loaded.
// The back end drops its intercept and runs the instruction again.
void debug_regs_make_live(Vcpu& v);

} // namespace bh::x86_64
