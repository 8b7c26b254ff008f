// SPDX-License-Identifier: GPL-2.0-only
// Intel VMX with EPT: detection, VMXON on each CPU, the shared I/O and MSR
// bitmaps, and the vCPU operations of this back end.
#pragma once

#include "exit_common.hpp"

#include <bulkhead/frame_allocator.hpp>
#include <bulkhead/types.hpp>

namespace bh {
struct Vcpu;
}

namespace bh::x86_64::vmx {

bool supported(const char*& why);
// Boot option vmx-no-vpid (before supported()): run as on a CPU without
// VPIDs, to test that fallback on CPUs that have them.
void forgo_vpid();
bool global_init(FrameAllocator& frames);
bool cpu_init(FrameAllocator& frames);
u32 vpid_limit();

void vcpu_reset(Vcpu& v, GuestPhys entry, u64 arg);
bool vcpu_reset_real_mode(Vcpu& v, u8 vector);
void vcpu_enter_flat32(Vcpu& v);
bool can_run_real_mode(); // "unrestricted guest"
void vcpu_run(Vcpu& v);
// VMPTRLD (and first-time VMCS set-up) / VMCLEAR, and the SYSCALL MSRs the
// VMCS does not hold. A vCPU's VMCS is current only while it is loaded.
void vcpu_load(Vcpu& v);
void vcpu_save(Vcpu& v);
void inject_gp(Vcpu& v);
void inject_ud(Vcpu& v);

// The MSRs the VMCS holds, as the zone sees them (backend.hpp); the vCPU's
// VMCS must be current.
u64 guest_efer(Vcpu& v);
void set_guest_efer(Vcpu& v, u64 value);
u64 guest_pat(Vcpu& v);
void set_guest_pat(Vcpu& v, u64 value);
u64 tsc_offset(Vcpu& v);
// A MOV to CR4 that exited: refused (#GP) or emulated.
Emulation write_cr0(Vcpu& v, u64 value);
Emulation write_cr4(Vcpu& v, u64 value);

} // namespace bh::x86_64::vmx
