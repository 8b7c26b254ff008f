// SPDX-License-Identifier: GPL-2.0-only
// The virtualization back end, chosen once at boot from CPUID: AMD SVM with
// nested paging, or Intel VMX with EPT. Everything above this (exits'
// common policy, the arch interface, the scheduler) is the same for both.
#pragma once

#include <bulkhead/frame_allocator.hpp>
#include <bulkhead/types.hpp>

namespace bh {
struct Vcpu;
}

namespace bh::x86_64 {

struct Backend {
    const char* name;
    bool (*cpu_init)(FrameAllocator& frames);   // on each CPU
    void (*vcpu_reset)(Vcpu& v, GuestPhys entry, u64 arg);
    // The state a STARTUP IPI with `vector` leaves a CPU in: real mode at
    // CS:IP = (vector << 8):0. False if the back end cannot run real mode.
    bool (*vcpu_reset_real_mode)(Vcpu& v, u8 vector);
    bool (*can_run_real_mode)();
    void (*vcpu_run)(Vcpu& v);                  // one run and the exit that ends it
    void (*vcpu_load)(Vcpu& v);                 // state the hardware does not switch itself
    void (*vcpu_save)(Vcpu& v);
    void (*inject_gp)(Vcpu& v);
    u32 (*tag_limit)();                         // ASIDs (SVM) or VPIDs (VMX), 0 excluded
};

// Picks SVM or VMX (BH: SVM first where both exist) and sets it up for the
// boot CPU's global state (permission maps, the stage-2 format). False with
// `why` when neither can run zones.
bool backend_select(FrameAllocator& frames, const char*& why);
const Backend& backend();

} // namespace bh::x86_64
