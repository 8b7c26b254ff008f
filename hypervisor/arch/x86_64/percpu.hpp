// SPDX-License-Identifier: GPL-2.0-only
// Per-CPU x86 state, reached through the GS base.
#pragma once

#include <bulkhead/percpu.hpp>
#include <bulkhead/types.hpp>

namespace bh::x86_64 {

// GS base points at this; %gs:0 is the generic PerCpu, so this_cpu() is one load.
struct CpuLocal {
    PerCpu* percpu;
    CpuLocal* self;
    u64 stack_top;
    HostPhys host_save_area; // SVM: VM_HSAVE_PA; VMX: the VMXON region
    HostPhys host_vmsave;    // SVM: VMSAVE of the host's hidden state
    u64 current_vmcs;        // VMX: the VMCS VMPTRLD made current here (0: none)
    u32 apic_id;
    u64 tsc_aux; // what IA32_TSC_AUX holds here (~0: unknown; tsc_aux.cpp)
    // Which tlb_tag last ran with each ASID/VPID here (svm_vcpu.cpp, vmx_vcpu.cpp).
    static constexpr unsigned kTrackedAsids = 256;
    u64 asid_tag[kTrackedAsids];
};
static_assert(__builtin_offsetof(CpuLocal, percpu) == 0, "this_cpu() reads %gs:0");

CpuLocal& local();
CpuLocal& local(unsigned index);
u64 stack_top(unsigned index);
// Called on each CPU before anything uses this_cpu().
void percpu_init(unsigned index, u32 apic_id);
void percpu_mark_online(unsigned index);

} // namespace bh::x86_64
