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

// Which instruction makes a hypercall on this back end (reported to zones
// in CPUID leaf 0x40000001).
enum class HypercallInsn : u32 { vmmcall = 1, vmcall = 2 };

struct Backend {
    const char* name;
    HypercallInsn hypercall_insn;
    bool (*cpu_init)(FrameAllocator& frames); // on each CPU
    // The control block's part of a reset; vcpu.cpp resets the registers
    // and the state both back ends keep outside it first.
    void (*vcpu_reset)(Vcpu& v, GuestPhys entry, u64 arg);
    // The state a STARTUP IPI with `vector` leaves a CPU in: real mode at
    // CS:IP = (vector << 8):0. False if the back end cannot run real mode.
    bool (*vcpu_reset_real_mode)(Vcpu& v, u8 vector);
    bool (*can_run_real_mode)();
    // After a reset: 32-bit protected mode with paging off and flat 4 GiB
    // segments, the PVH boot ABI's start state (RIP stays the entry).
    void (*vcpu_enter_flat32)(Vcpu& v);
    void (*vcpu_run)(Vcpu& v);  // one run and the exit that ends it
    void (*vcpu_load)(Vcpu& v); // state the hardware does not switch itself
    void (*vcpu_save)(Vcpu& v);
    void (*inject_gp)(Vcpu& v);
    u32 (*tag_limit)(); // ASIDs (SVM) or VPIDs (VMX), 0 excluded
    // The MSRs the control block holds, as the zone sees them (exit
    // handlers run with the vCPU loaded). set_efer gets a value
    // efer_write_valid() accepted, with LMA as the CPU has it.
    u64 (*efer)(Vcpu& v);
    void (*set_efer)(Vcpu& v, u64 value);
    u64 (*pat)(Vcpu& v);
    void (*set_pat)(Vcpu& v, u64 value);
    u64 (*tsc_offset)(Vcpu& v);
};

// Picks SVM or VMX (BH: SVM first where both exist) and sets it up for the
// boot CPU's global state (permission maps, the stage-2 format). False with
// `why` when neither can run zones.
bool backend_select(FrameAllocator& frames, const char*& why);
const Backend& backend();

} // namespace bh::x86_64
