// SPDX-License-Identifier: GPL-2.0-only
// Everything of an x86-64 vCPU the hypervisor keeps while it is off the CPU.
#pragma once

#include <stddef.h>

#include <arch/mmio_insn_type.hpp>
#include <arch/vlapic.hpp>
#include <bulkhead/atomic.hpp>
#include <bulkhead/types.hpp>

namespace bh::arch {

// The zone's general registers, RIP and RFLAGS. svm_run.S loads and saves
// the GPRs by these offsets; RAX, RSP, RIP and RFLAGS also live in the VMCB
// and are copied around each run, so exit handlers only ever see this frame.
struct GuestRegs {
    u64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
    u64 r8, r9, r10, r11, r12, r13, r14, r15;
    u64 rip, rflags;
};
static_assert(offsetof(GuestRegs, rcx) == 8 && offsetof(GuestRegs, rdi) == 56 && offsetof(GuestRegs, r8) == 64 &&
                  offsetof(GuestRegs, r15) == 120,
              "svm_run.S frame");

// x87/SSE state as FXSAVE writes it. The hypervisor never touches FP
// registers (-mgeneral-regs-only), so they are switched only with the vCPU.
struct alignas(16) FxState {
    u8 bytes[512];
};

struct VcpuContext {
    // The hardware's control block for this vCPU (an SVM VMCB or a VMX VMCS
    // region): its own page, allocated with the zone for the vCPUs it has
    // (physical = virtual: the identity map), so that the vCPU object
    // itself needs no page alignment.
    u8* control_block = nullptr;
    GuestRegs regs;
    FxState fx;
    // Unique for each reset of this vCPU: a CPU flushes the zone's ASID
    // when the tag it last ran with that ASID differs (another vCPU of the
    // same zone, or a new zone that got a recycled ASID). Another CPU
    // changes it to make this vCPU flush (flush_guest_tlb).
    Atomic<u64> tlb_tag{0};
    // Odd while the vCPU is in guest mode (raised before the entry reads
    // tlb_tag, lowered after the exit): flush_guest_tlb waits for a vCPU it
    // saw odd to leave, so a flush is complete when it returns.
    Atomic<u64> guest_epoch{0};
    // VMX only: the VMCS is written in full on the vCPU's first load after
    // a reset (on its home CPU), and is launched at most once per load.
    bool control_block_ready = false;
    bool launched = false;
    // VMX only: SYSCALL state the VMCS does not hold, switched with the vCPU
    // (SVM's VMLOAD/VMSAVE switch it).
    u64 star = 0, lstar = 0, cstar = 0, sfmask = 0, kernel_gs_base = 0;
    // Debug registers no control block holds (DR7 is in both; DR6 in the
    // VMCB only). Until the zone first touches one (a MOV-DR intercept) its
    // values are the reset ones and the hardware's are not switched; from
    // then on they are live: loaded and saved with the vCPU, MOV DR no
    // longer intercepted (debug_regs.hpp).
    u64 dr[4] = {};
    u64 dr6 = 0;
    bool debug_live = false;
    // IA32_TSC_AUX as RDTSCP and RDPID return it to this vCPU (tsc_aux.hpp).
    u64 tsc_aux = 0;
    // VMX only: the primary processor-based controls in the VMCS now.
    u32 vmx_proc = 0;
    // A forwarded load or store the vCPU waits for (VcpuIo): the decoded
    // instruction, applied (register, RIP) before the vCPU runs on.
    x86_64::MmioInsn pending_insn;
    // The zone's view of this vCPU's local APIC (x2APIC ID = vCPU index).
    x86_64::VirtualLapic lapic;
    // VMX only: interrupt-window exiting is on, for the moment the zone can
    // take an interrupt.
    bool irq_window = false;
    // SVM only: the vector offered as the virtual interrupt (V_IRQ) at the
    // last entry, or -1; it is acknowledged once the zone has taken it.
    int offered_vector = -1;
    // SVM only: an interrupt the zone took (acknowledged in the local APIC)
    // whose delivery an exit cut short, offered again ahead of the APIC, or -1.
    int redeliver_vector = -1;
    // What this vCPU, while loaded, set as its CPU's guest timer deadline.
    u64 armed_deadline = 0;
    // An INIT IPI left this (off) vCPU waiting for a STARTUP IPI.
    bool wait_for_sipi = false;
    // VMX only: the next VMCS set-up starts in real mode at this STARTUP
    // vector (-1: the long-mode start state).
    int real_mode_vector = -1;
    bool start_flat32 = false; // VMX: the next setup starts in flat 32-bit protected mode (PVH)
};

// What fault-policy "abort" does on x86-64 (see docs/architecture.md).
inline constexpr const char* kFaultInjectionName = "injecting #GP(0)";

} // namespace bh::arch
