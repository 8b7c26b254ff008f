// SPDX-License-Identifier: GPL-2.0-only
// AMD SVM: detection, per-CPU enabling, the shared I/O and MSR permission
// maps, and the vCPU operations of this back end.
#pragma once

#include <bulkhead/frame_allocator.hpp>
#include <bulkhead/types.hpp>

namespace bh {
struct Vcpu;
}

namespace bh::x86_64::svm {

// Whether this CPU can run zones with SVM and nested paging; `why` says
// what is missing.
bool supported(const char*& why);
// Once, on the boot CPU: the permission maps (every port and MSR intercepted
// except the few listed in svm.cpp).
bool global_init(FrameAllocator& frames);
// On each CPU: EFER.SVME, the host save area, the host's VMSAVE area.
bool cpu_init(FrameAllocator& frames);
u32 asid_limit();
bool next_rip_saved();
bool decode_assists();
// The CR4 bits a zone may set (cr4_policy.hpp), for emulated CR4 writes.
u64 zone_cr4_supported();

void vcpu_reset(Vcpu& v, GuestPhys entry, u64 arg);
bool vcpu_reset_real_mode(Vcpu& v, u8 vector);
void vcpu_enter_flat32(Vcpu& v);
// Enters the vCPU and handles the exit that ends its run.
void vcpu_run(Vcpu& v);
void inject_gp(Vcpu& v);
void inject_ud(Vcpu& v);
// A guest TLB flush of the vCPU's ASID at its next VMRUN (what an emulated
// instruction such as MOV to CR4 would have flushed).
void flush_guest_tlb(Vcpu& v);

// The MSRs the VMCB holds, as the zone sees them (backend.hpp).
u64 guest_efer(Vcpu& v);
void set_guest_efer(Vcpu& v, u64 value);
u64 guest_pat(Vcpu& v);
void set_guest_pat(Vcpu& v, u64 value);
u64 tsc_offset(Vcpu& v);

HostPhys msrpm();
HostPhys iopm();

} // namespace bh::x86_64::svm
