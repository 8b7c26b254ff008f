// SPDX-License-Identifier: GPL-2.0-only
#include "backend.hpp"

#include "svm.hpp"
#include "tsc_aux.hpp"
#include "vmx.hpp"

#include <arch/x86_paging.hpp>
#include <bulkhead/log.hpp>

namespace bh::x86_64 {
namespace {

void nothing(Vcpu&) {}
bool always() { return true; }

const Backend svm_backend{
    .name = "AMD SVM with nested paging",
    .hypercall_insn = HypercallInsn::vmmcall,
    .cpu_init = svm::cpu_init,
    .vcpu_reset = svm::vcpu_reset,
    .vcpu_reset_real_mode = svm::vcpu_reset_real_mode,
    .can_run_real_mode = always,
    .vcpu_enter_flat32 = svm::vcpu_enter_flat32,
    .vcpu_run = svm::vcpu_run,
    .vcpu_load = nothing, // VMRUN, VMLOAD and VMSAVE switch what the VMCB holds
    .vcpu_save = nothing,
    .inject_gp = svm::inject_gp,
    .tag_limit = svm::asid_limit,
    .efer = svm::guest_efer,
    .set_efer = svm::set_guest_efer,
    .pat = svm::guest_pat,
    .set_pat = svm::set_guest_pat,
    .tsc_offset = svm::tsc_offset,
};
const Backend vmx_backend{
    .name = "Intel VMX with EPT",
    .hypercall_insn = HypercallInsn::vmcall,
    .cpu_init = vmx::cpu_init,
    .vcpu_reset = vmx::vcpu_reset,
    .vcpu_reset_real_mode = vmx::vcpu_reset_real_mode,
    .can_run_real_mode = vmx::can_run_real_mode,
    .vcpu_enter_flat32 = vmx::vcpu_enter_flat32,
    .vcpu_run = vmx::vcpu_run,
    .vcpu_load = vmx::vcpu_load,
    .vcpu_save = vmx::vcpu_save,
    .inject_gp = vmx::inject_gp,
    .tag_limit = vmx::vpid_limit,
    .efer = vmx::guest_efer,
    .set_efer = vmx::set_guest_efer,
    .pat = vmx::guest_pat,
    .set_pat = vmx::set_guest_pat,
    .tsc_offset = vmx::tsc_offset,
};
const Backend* chosen = &svm_backend;

} // namespace

bool backend_select(FrameAllocator& frames, const char*& why) {
    const char* svm_why = "";
    const char* vmx_why = "";
    tsc_aux_init();
    if (svm::supported(svm_why)) {
        chosen = &svm_backend;
        Stage2Format::ept = false;
        if (!svm::global_init(frames)) {
            why = "no memory for the SVM permission maps";
            return false;
        }
        return true;
    }
    if (vmx::supported(vmx_why)) {
        chosen = &vmx_backend;
        Stage2Format::ept = true;
        if (!vmx::global_init(frames)) {
            why = "no memory for the VMX bitmaps";
            return false;
        }
        return true;
    }
    log("virtualization: %s; %s", svm_why, vmx_why);
    why = "boot: this CPU has neither SVM with nested paging nor VMX with EPT";
    return false;
}

const Backend& backend() { return *chosen; }

} // namespace bh::x86_64
