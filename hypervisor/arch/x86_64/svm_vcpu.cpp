// SPDX-License-Identifier: GPL-2.0-only
// A vCPU on SVM: its VMCB, the long-mode state it starts in, and one run.
#include "guest_paging.hpp"
#include "mmio_emulate.hpp"
#include "percpu.hpp"
#include "svm.hpp"
#include "vcpu_interrupts.hpp"
#include "vmcb.hpp"

#include "asm_defs.h"

#include <arch/x86.hpp>
#include <bulkhead/zone.hpp>

extern "C" void svm_run(bh::arch::GuestRegs* regs, bh::u64 vmcb_pa, bh::u64 host_vmsave_pa);

namespace bh::x86_64::svm {

void handle_exit(Vcpu& v, Vmcb& vm);

namespace {

// Segment attributes in VMCB form: descriptor bits 47:40 and 55:52.
constexpr u16 kAttrCode64 = 0xa9b; // G, L, P, S, execute/read, accessed
constexpr u16 kAttrData = 0xc93;   // G, D/B, P, S, read/write, accessed
constexpr u16 kAttrTss64Busy = 0x08b;
constexpr u16 kAttrLdt = 0x082;
constexpr u64 kPatPowerOn = 0x0007040600070406ull;

Vmcb& vmcb_of(Vcpu& v) { return *reinterpret_cast<Vmcb*>(v.ctx.control_block); }

// CR4 writes always exit: the enables of hidden features are refused
// (cr4_policy.hpp). CR8 writes exit only while an interrupt is offered or
// waits for the task priority to drop (offer_interrupt); otherwise CR8 is V_TPR, which
// the zone reads and writes without exits and vcpu_run keeps in step with
// its local APIC's TPR. MOV DR exits until the vCPU's debug registers are
// live (debug_regs.hpp).
void set_intercepts(VmcbControl& c) {
    c.intercept_cr = intercept_cr_write(4);
    c.intercept_dr = kInterceptAllDr;
    c.intercept_misc1 = kMisc1Intr | kMisc1Nmi | kMisc1Smi | kMisc1Init | kMisc1Rdpmc | kMisc1Cpuid | kMisc1Invd |
                        kMisc1Hlt | kMisc1Invlpga | kMisc1IoioProt | kMisc1MsrProt | kMisc1TaskSwitch | kMisc1Shutdown;
    c.intercept_misc2 = kMisc2Vmrun | kMisc2Vmmcall | kMisc2Vmload | kMisc2Vmsave | kMisc2Stgi | kMisc2Clgi |
                        kMisc2Skinit | kMisc2Monitor | kMisc2Mwait | kMisc2MwaitCond | kMisc2Xsetbv | kMisc2Rdpru;
    c.iopm_base_pa = iopm().raw();
    c.msrpm_base_pa = msrpm().raw();
    c.vintr = kVintrMasking;
    c.np_enable = 1;
}

void inject(Vcpu& v, u8 vector, bool error_code) {
    vmcb_of(v).control.event_inject =
        kEventValid | kEventTypeException | vector | (error_code ? kEventErrorValid : 0); // error code 0
}

// Interrupts reach the zone only as the virtual interrupt (V_IRQ with
// V_INTR_VECTOR and V_INTR_PRIO = its class), never by EVENTINJ: the CPU
// delivers it itself at the first instruction boundary where the zone can
// take it (RFLAGS.IF, no interrupt shadow), so there is no interrupt window
// to wait for. Each entry offers the local APIC's highest deliverable
// vector (or one taken whose delivery an exit cut short); settle_interrupt
// acknowledges it in the local APIC once V_IRQ reads clear after an exit,
// and an offer not taken is simply made again, or replaced by a higher one.
// Why not EVENTINJ: QEMU 7.2's TCG delivers an EVENTINJ interrupt inside
// VMRUN but leaves it as its pending exception, and delivers it a second
// time at its next exit request whatever the zone's RFLAGS.IF; Linux zones
// then double-faulted (a timer interrupt at the first instruction of the
// timer handler, before its SWAPGS) or deadlocked on a spinlock taken with
// interrupts off (architecture.md, "QEMU").
// The offer ignores V_TPR (this APIC's rule decided it), so while one is
// made, and while only the task priority holds one back, CR8 writes exit:
// a raised CR8 withdraws the offer, a lowered one lets the interrupt in.
void offer_interrupt(Vcpu& v, VmcbControl& c) {
    constexpr u64 kOffer = kVintrIrq | kVintrPrioMask | kVintrIgnoreTpr | kVintrVectorMask;
    c.vintr &= ~kOffer;
    int vector = v.ctx.redeliver_vector >= 0 ? v.ctx.redeliver_vector : v.ctx.lapic.deliverable();
    v.ctx.offered_vector = vector;
    if (vector >= 0)
        c.vintr |=
            kVintrIrq | (u64(vector >> 4) << kVintrPrioShift) | kVintrIgnoreTpr | (u64(vector) << kVintrVectorShift);
    bool watch_cr8 = vector >= 0 || v.ctx.lapic.held_by_tpr();
    c.intercept_cr = watch_cr8 ? c.intercept_cr | intercept_cr_write(8) : c.intercept_cr & ~intercept_cr_write(8);
}

// After an exit: an offered interrupt whose V_IRQ the CPU cleared was
// taken, and leaves IRR for ISR now. An external interrupt in EXITINTINFO
// was cut short on its way in: with V_IRQ clear (taken) it is offered again
// ahead of the APIC; with V_IRQ still set (QEMU) the offer stands and is
// made again anyway. Other events in EXITINTINFO (exceptions) are injected
// again as they were.
void settle_interrupt(Vcpu& v, VmcbControl& c) {
    int offered = v.ctx.offered_vector;
    v.ctx.offered_vector = -1;
    bool taken = offered >= 0 && !(c.vintr & kVintrIrq);
    if (taken) {
        if (v.ctx.redeliver_vector < 0) v.ctx.lapic.acknowledge(static_cast<u8>(offered));
        v.ctx.redeliver_vector = -1;
    }
    c.event_inject = 0;
    u64 info = c.exitintinfo;
    if (!(info & kEventValid)) return;
    if ((info & kEventTypeMask) != kEventTypeIntr) {
        c.event_inject = info;
        return;
    }
    if (taken) v.ctx.redeliver_vector = static_cast<int>(info & kEventVectorMask);
}

} // namespace

// The VMCB's part of a reset: the long-mode start state (docs/architecture.md).
void vcpu_reset(Vcpu& v, GuestPhys, u64) {
    const Zone& z = *v.zone;
    Vmcb& vm = vmcb_of(v);
    __builtin_memset(&vm, 0, sizeof vm);
    set_intercepts(vm.control);
    vm.control.guest_asid = z.arch.asid;
    vm.control.n_cr3 = z.stage2.root().raw();

    VmcbSave& s = vm.save;
    s.cs = {BH_SEL_CODE64, kAttrCode64, 0xffffffff, 0};
    s.ds = s.es = s.ss = s.fs = s.gs = {BH_SEL_DATA, kAttrData, 0xffffffff, 0};
    s.tr = {0, kAttrTss64Busy, 0x67, 0};
    s.ldtr = {0, kAttrLdt, 0, 0};
    s.gdtr = {0, 0, 0, 0}; // the zone brings its own GDT and IDT before it needs them
    s.idtr = {0, 0, 0, 0};
    s.cpl = 0;
    s.efer = x86::kEferLme | x86::kEferLma | x86::kEferNxe | x86::kEferSvme;
    s.cr0 = x86::kCr0Pe | x86::kCr0Mp | x86::kCr0Et | x86::kCr0Ne | x86::kCr0Wp | x86::kCr0Pg;
    s.cr3 = z.arch.boot_tables.raw();
    s.cr4 = x86::kCr4Pae | x86::kCr4Osfxsr | x86::kCr4Osxmmexcpt;
    s.dr6 = x86::kDr6Reset;
    s.dr7 = x86::kDr7Reset;
    s.g_pat = kPatPowerOn;
}

// Real mode after INIT-SIPI (APM vol. 2 14.1.3, 16.x): CS = vector << 8,
// IP 0, flat 64 KiB segments, paging and protection off; nested paging
// still confines the zone to its memory.
bool vcpu_reset_real_mode(Vcpu& v, u8 vector) {
    constexpr u16 kAttrCode16 = 0x09b, kAttrData16 = 0x093, kAttrTss16Busy = 0x08b;
    vcpu_reset(v, GuestPhys(0), 0);
    VmcbSave& s = vmcb_of(v).save;
    s.cs = {static_cast<u16>(vector << 8), kAttrCode16, 0xffff, u64(vector) << 12};
    s.ds = s.es = s.ss = s.fs = s.gs = {0, kAttrData16, 0xffff, 0};
    s.tr = {0, kAttrTss16Busy, 0xffff, 0};
    s.gdtr = {0, 0, 0xffff, 0};
    s.idtr = {0, 0, 0xffff, 0};
    s.efer = x86::kEferSvme;
    s.cr0 = x86::kCr0Et;
    s.cr3 = 0;
    s.cr4 = 0;
    return true;
}

// The PVH start state: CS a 32-bit execute/read segment and DS, ES, SS
// read/write data, all base 0 and limit 4 GiB; a 32-bit busy TSS; CR0.PE
// alone of the enables; no long mode.
void vcpu_enter_flat32(Vcpu& v) {
    constexpr u16 kAttrCode32 = 0xc9b, kAttrTss32Busy = 0x08b;
    VmcbSave& s = vmcb_of(v).save;
    s.cs = {BH_SEL_CODE64, kAttrCode32, 0xffffffff, 0};
    s.ds = s.es = s.ss = s.fs = s.gs = {BH_SEL_DATA, kAttrData, 0xffffffff, 0};
    s.tr = {0, kAttrTss32Busy, 0x67, 0};
    s.efer = x86::kEferSvme;
    s.cr0 = x86::kCr0Pe | x86::kCr0Et | x86::kCr0Ne;
    s.cr3 = 0;
    s.cr4 = 0;
}

void vcpu_run(Vcpu& v) {
    CpuLocal& l = local();
    Vmcb& vm = vmcb_of(v);
    arch::GuestRegs& r = v.ctx.regs;
    // A forwarded access a server has completed: its result and the RIP
    // past it, before they are copied into the VMCB.
    mmio_finish_pending(v);
    vm.save.rax = r.rax;
    vm.save.rsp = r.rsp;
    vm.save.rip = r.rip;
    vm.save.rflags = r.rflags;
    // Guest TLB entries are tagged by ASID only, not by vCPU: flush when the
    // ASID last ran something else on this CPU. (An exit handler may have
    // asked for a flush already.)
    // (In guest mode from here, for flush_guest_tlb: the tag is read after.)
    v.ctx.guest_epoch.fetch_add(1, MemoryOrder::seq_cst);
    u32 asid = vm.control.guest_asid;
    u64 tag = v.ctx.tlb_tag.load(MemoryOrder::seq_cst);
    if (asid >= CpuLocal::kTrackedAsids || l.asid_tag[asid] != tag) {
        vm.control.tlb_control = kTlbFlushAsid;
        if (asid < CpuLocal::kTrackedAsids) l.asid_tag[asid] = tag;
    }
    lapic_before_entry(v);
    // CR8 is V_TPR while the zone runs; the local APIC's TPR is the truth
    // between runs (the zone may have changed it through the APIC).
    vm.control.vintr = (vm.control.vintr & ~kVintrTprMask) | v.ctx.lapic.cr8();
    offer_interrupt(v, vm.control);
    vm.control.intercept_dr = v.ctx.debug_live ? 0 : kInterceptAllDr;
    vm.control.clean_bits = 0; // nothing cached: the VMCB may have moved CPUs or changed
    svm_run(&r, ptr_to_phys(&vm).raw(), l.host_vmsave.raw());
    v.ctx.guest_epoch.fetch_add(1, MemoryOrder::release);
    vm.control.tlb_control = 0;
    r.rax = vm.save.rax;
    r.rsp = vm.save.rsp;
    r.rip = vm.save.rip;
    r.rflags = vm.save.rflags;
    // A changed V_TPR is a CR8 write by the zone. (One that wrote the class
    // TPR had already leaves TPR[3:0] as they were: V_TPR cannot tell.)
    u8 vtpr = static_cast<u8>(vm.control.vintr & kVintrTprMask);
    if (vtpr != v.ctx.lapic.cr8()) v.ctx.lapic.write_cr8(vtpr);
    settle_interrupt(v, vm.control);
    handle_exit(v, vm);
}

void inject_gp(Vcpu& v) { inject(v, 13, true); }
void inject_ud(Vcpu& v) { inject(v, 6, false); }
void flush_guest_tlb(Vcpu& v) { vmcb_of(v).control.tlb_control = kTlbFlushAsid; }

u64 guest_efer(Vcpu& v) { return vmcb_of(v).save.efer & ~x86::kEferSvme; }
// SVME stays set in the VMCB (VMRUN requires it) and hidden from the zone.
void set_guest_efer(Vcpu& v, u64 value) { vmcb_of(v).save.efer = value | x86::kEferSvme; }
u64 guest_pat(Vcpu& v) { return vmcb_of(v).save.g_pat; }
void set_guest_pat(Vcpu& v, u64 value) { vmcb_of(v).save.g_pat = value; }
u64 tsc_offset(Vcpu& v) { return vmcb_of(v).control.tsc_offset; }

} // namespace bh::x86_64::svm
