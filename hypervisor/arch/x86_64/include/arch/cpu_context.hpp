// SPDX-License-Identifier: GPL-2.0-only
// x86-64 state of one physical CPU, a member of its PerCpu entry
// (bulkhead/percpu.hpp). arch::this_cpu() finds the PerCpu from the stack
// it runs on (percpu.hpp, stack_owner); the GS base also points here, its
// first word back at the PerCpu, for the IST handlers, which run on
// stacks of their own.
#pragma once

#include <bulkhead/types.hpp>

namespace bh {
struct PerCpu;
}

namespace bh::arch {

struct CpuContext {
    PerCpu* percpu = nullptr;
    CpuContext* self = nullptr;
    u64 stack_top = 0;
    HostPhys host_save_area; // SVM: VM_HSAVE_PA; VMX: the VMXON region
    HostPhys host_vmsave;    // SVM: VMSAVE of the host's hidden state
    u64 current_vmcs = 0;    // VMX: the VMCS VMPTRLD made current here (0: none)
    u32 apic_id = 0;
    u64 tsc_aux = 0; // what IA32_TSC_AUX holds here (~0: unknown; tsc_aux.cpp)
    // The hypervisor timer (timer.cpp): what the hardware is set to (to
    // avoid reprogramming it on every exit), what the scheduler asked for,
    // and the loaded vCPU's local APIC timer.
    u64 timer_programmed = 0;
    u64 timer_for_scheduler = 0;
    u64 timer_for_guest = 0;
    // Which tlb_tag last ran with each ASID/VPID here (svm_vcpu.cpp, vmx_vcpu.cpp).
    static constexpr unsigned kTrackedAsids = 256;
    u64 asid_tag[kTrackedAsids] = {};
};
static_assert(__builtin_offsetof(CpuContext, percpu) == 0, "this_cpu() reads %gs:0 on an IST stack");

} // namespace bh::arch
