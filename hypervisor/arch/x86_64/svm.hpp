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

void vcpu_reset(Vcpu& v, GuestPhys entry, u64 arg);
bool vcpu_reset_real_mode(Vcpu& v, u8 vector);
// Enters the vCPU and handles the exit that ends its run.
void vcpu_run(Vcpu& v);
void inject_gp(Vcpu& v);
void inject_ud(Vcpu& v);

HostPhys msrpm();
HostPhys iopm();

} // namespace bh::x86_64::svm
