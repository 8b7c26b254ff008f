// SPDX-License-Identifier: GPL-2.0-only
#include "backend.hpp"

#include "svm.hpp"
#include "vmx.hpp"

#include <arch/x86_paging.hpp>
#include <bulkhead/log.hpp>

namespace bh::x86_64 {
namespace {

void nothing(Vcpu&) {}
bool always() { return true; }

const Backend svm_backend{"AMD SVM with nested paging", svm::cpu_init, svm::vcpu_reset, svm::vcpu_reset_real_mode, always, svm::vcpu_run,
                          nothing, nothing, svm::inject_gp, svm::asid_limit};
const Backend vmx_backend{"Intel VMX with EPT", vmx::cpu_init, vmx::vcpu_reset, vmx::vcpu_reset_real_mode, vmx::can_run_real_mode, vmx::vcpu_run,
                          vmx::vcpu_load, vmx::vcpu_save, vmx::inject_gp, vmx::vpid_limit};
const Backend* chosen = &svm_backend;

} // namespace

bool backend_select(FrameAllocator& frames, const char*& why) {
    const char* svm_why = "";
    const char* vmx_why = "";
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
