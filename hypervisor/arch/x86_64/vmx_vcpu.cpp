// SPDX-License-Identifier: GPL-2.0-only
// A vCPU on VMX: its VMCS, the long-mode state it starts in, and one run.
// The VMCS is current only between vcpu_load and vcpu_save on the vCPU's
// home CPU (VMPTRLD ... VMCLEAR), so a VMCS never has to move between CPUs
// while active, and a destroyed zone's VMCS is never current anywhere.
#include "cr4_policy.hpp"
#include "descriptors.hpp"
#include "mmio_emulate.hpp"
#include "percpu.hpp"
#include "timer.hpp"
#include "vcpu_interrupts.hpp"
#include "vmcs.hpp"
#include "vmx.hpp"
#include "vmx_caps.hpp"

#include "asm_defs.h"

#include <arch/x86.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_table.hpp>

extern "C" bh::u64 vmx_run(bh::arch::GuestRegs* regs, bh::u64 launched);

namespace bh::x86_64::vmx {

void handle_exit(Vcpu& v);

namespace {

using ull = unsigned long long;
using namespace vmcs;

// Access rights in VMCS form (SDM vol. 3 24.4.1).
constexpr u32 kArCode64 = 0xa09b, kArData = 0xc093, kArTss64Busy = 0x8b, kArUnusable = 1u << 16;
constexpr u64 kPatPowerOn = 0x0007040600070406ull;
constexpr u64 kEptpWb4Level = 6 | (3u << 3);
constexpr u64 kGuestCr4Visible = x86::kCr4Pae | x86::kCr4Osfxsr | x86::kCr4Osxmmexcpt;
// The CR4 bits the host owns: VMXE must stay set in VMX operation (the zone
// sees it clear), and the enables of hidden features are refused
// (cr4_policy.hpp). The read shadow holds them all clear, so a MOV to CR4
// exits exactly when it tries to set one of them.
constexpr u64 kCr4HostOwned = kCr4Refused;

// The CR0 bits VMX operation fixes to 1 (NE; PE and PG too without
// unrestricted guest) belong to the host: a zone that writes them 0 (Linux's
// PVH entry writes CR0 = PG | PE) exits instead of taking a #GP it could not
// explain, and sees its own value through the read shadow.
u64 cr0_host_owned() {
    const Caps& c = caps();
    u64 relaxed = c.unrestricted ? (x86::kCr0Pe | x86::kCr0Pg) : 0;
    return c.cr0_fixed0 & ~relaxed & 0xffffffffull;
}
static_assert(kCr4HostOwned & x86::kCr4Vmxe);

u64 pa_of(Vcpu& v) { return ptr_to_phys(v.ctx.control_block).raw(); }

bool vmclear(u64 pa) {
    u8 bad;
    asm volatile("vmclear %1; setbe %0" : "=qm"(bad) : "m"(pa) : "cc", "memory");
    return !bad;
}
bool vmptrld(u64 pa) {
    u8 bad;
    asm volatile("vmptrld %1; setbe %0" : "=qm"(bad) : "m"(pa) : "cc", "memory");
    return !bad;
}
void invept_single(u64 eptp) {
    struct {
        u64 eptp, reserved;
    } d{eptp, 0};
    asm volatile("invept %0, %1" ::"m"(d), "r"(u64(caps().invept ? 1 : 2)) : "cc", "memory");
}
void invvpid_single(u16 vpid) {
    struct {
        u64 vpid, linear;
    } d{vpid, 0};
    asm volatile("invvpid %0, %1" ::"m"(d), "r"(u64(1)) : "cc", "memory");
}

u64 eptp_of(const Zone& z) { return z.stage2.root().raw() | kEptpWb4Level; }

// What this vCPU needs on top of the controls every vCPU has: an
// interrupt window while an interrupt waits for one, MOV-DR exiting until
// its debug registers are live (debug_regs.hpp).
u32 proc_controls(const Vcpu& v) {
    return caps().proc | (v.ctx.irq_window ? u32(kProcIntrWindow) : 0u) | (v.ctx.debug_live ? 0u : u32(kProcMovDr));
}

void update_proc_controls(Vcpu& v) {
    u32 want = proc_controls(v);
    if (want == v.ctx.vmx_proc) return;
    v.ctx.vmx_proc = want;
    write(kProcControls, want);
}

// Real mode after INIT-SIPI (SDM vol. 3 26.3.1 with "unrestricted guest"):
// CS = vector << 8, IP 0, 64 KiB segments, protection and paging off (CR0
// keeps NE, which VMX requires), not an IA-32e guest. EPT still confines
// the zone to its memory.
template <class Write>
bool setup_real_mode(Write& w, u8 vector) {
    const Caps& c = caps();
    constexpr u32 kArCode16 = 0x9b, kArData16 = 0x93, kArTss16Busy = 0x8b;
    w(kEntryControls, c.entry & ~u64(kEntryGuest64));
    const Field sels[] = {kGuestEsSel, kGuestSsSel, kGuestDsSel, kGuestFsSel, kGuestGsSel};
    const Field limits[] = {kGuestEsLimit, kGuestSsLimit, kGuestDsLimit, kGuestFsLimit, kGuestGsLimit};
    const Field ars[] = {kGuestEsAr, kGuestSsAr, kGuestDsAr, kGuestFsAr, kGuestGsAr};
    for (unsigned i = 0; i < 5; ++i) {
        w(sels[i], 0);
        w(limits[i], 0xffff);
        w(ars[i], kArData16);
    }
    w(kGuestCsSel, u64(vector) << 8);
    w(kGuestCsBase, u64(vector) << 12);
    w(kGuestCsLimit, 0xffff);
    w(kGuestCsAr, kArCode16);
    w(kGuestTrLimit, 0xffff);
    w(kGuestTrAr, kArTss16Busy);
    w(kGuestGdtrLimit, 0xffff);
    w(kGuestIdtrLimit, 0xffff);
    u64 pe_pg = x86::kCr0Pe | x86::kCr0Pg;
    w(kGuestCr0, ((x86::kCr0Et | x86::kCr0Ne) | (c.cr0_fixed0 & ~pe_pg)) & c.cr0_fixed1);
    w(kCr0Shadow, x86::kCr0Et);
    w(kGuestCr3, 0);
    w(kGuestCr4, (x86::kCr4Vmxe | c.cr4_fixed0) & c.cr4_fixed1);
    w(kCr4Shadow, 0);
    w(kGuestEfer, 0);
    return true;
}

// The PVH start state (flat 32-bit protected mode, paging off), which
// needs unrestricted guest like real mode does.
template <class Write>
bool setup_flat32(Write& w) {
    const Caps& c = caps();
    if (!c.unrestricted) return false;
    constexpr u32 kArCode32 = 0xc09b, kArData32 = 0xc093, kArTss32Busy = 0x8b;
    w(kEntryControls, c.entry & ~u64(kEntryGuest64));
    const Field ars[] = {kGuestEsAr, kGuestSsAr, kGuestDsAr, kGuestFsAr, kGuestGsAr};
    for (Field f : ars) w(f, kArData32);
    w(kGuestCsAr, kArCode32);
    w(kGuestTrAr, kArTss32Busy);
    u64 pg = x86::kCr0Pg;
    u64 cr0 = x86::kCr0Pe | x86::kCr0Et | x86::kCr0Ne;
    w(kGuestCr0, (cr0 | (c.cr0_fixed0 & ~pg)) & c.cr0_fixed1);
    w(kCr0Shadow, cr0);
    w(kGuestCr3, 0);
    w(kGuestCr4, (x86::kCr4Vmxe | c.cr4_fixed0) & c.cr4_fixed1);
    w(kCr4Shadow, 0);
    w(kGuestEfer, 0);
    return true;
}

bool setup(Vcpu& v) {
    const Caps& c = caps();
    const Zone& z = *v.zone;
    unsigned cpu = arch::this_cpu().index;
    bool ok = true;
    auto w = [&ok](Field f, u64 val) { ok = write(f, val) && ok; };
    // Controls.
    w(kVpid, c.vpid ? z.arch.asid : 0);
    w(kPinControls, c.pin);
    v.ctx.vmx_proc = proc_controls(v);
    w(kProcControls, v.ctx.vmx_proc);
    w(kProcControls2, c.proc2);
    w(kExitControls, c.exit);
    w(kEntryControls, c.entry);
    w(kExceptionBitmap, 0);
    w(kCr3TargetCount, 0);
    w(kExitMsrStoreCount, 0);
    w(kExitMsrLoadCount, 0);
    w(kEntryMsrLoadCount, 0);
    w(kEntryInterruptInfo, 0);
    w(kIoBitmapA, c.io_bitmaps.raw());
    w(kIoBitmapB, c.io_bitmaps.raw() + kPageSize);
    w(kMsrBitmap, c.msr_bitmap.raw());
    w(kTscOffset, 0);
    w(kEptPointer, eptp_of(z));
    w(kCr0Mask, cr0_host_owned());
    w(kCr4Mask, kCr4HostOwned);
    w(kCr4Shadow, kGuestCr4Visible);
    // Host state: this CPU as it is now.
    w(kHostCr0, x86::read_cr0());
    w(kHostCr3, x86::read_cr3());
    w(kHostCr4, x86::read_cr4());
    w(kHostCsSel, BH_SEL_CODE64);
    w(kHostSsSel, BH_SEL_DATA);
    w(kHostDsSel, BH_SEL_DATA);
    w(kHostEsSel, BH_SEL_DATA);
    w(kHostFsSel, 0);
    w(kHostGsSel, 0);
    w(kHostTrSel, BH_SEL_TSS);
    w(kHostFsBase, 0);
    w(kHostGsBase, x86::rdmsr(x86::kMsrGsBase));
    w(kHostTrBase, tss_base(cpu));
    w(kHostGdtrBase, gdt_base(cpu));
    w(kHostIdtrBase, idt_base());
    w(kHostSysenterCs, 0);
    w(kHostSysenterEsp, 0);
    w(kHostSysenterEip, 0);
    w(kHostEfer, x86::rdmsr(x86::kMsrEfer));
    w(kHostPat, x86::rdmsr(x86::kMsrPat));
    // Guest state: 64-bit mode, paging on with the zone's boot tables.
    const Field sels[] = {kGuestEsSel, kGuestSsSel, kGuestDsSel, kGuestFsSel, kGuestGsSel};
    const Field limits[] = {kGuestEsLimit, kGuestSsLimit, kGuestDsLimit, kGuestFsLimit, kGuestGsLimit};
    const Field ars[] = {kGuestEsAr, kGuestSsAr, kGuestDsAr, kGuestFsAr, kGuestGsAr};
    const Field bases[] = {kGuestEsBase, kGuestSsBase, kGuestDsBase, kGuestFsBase, kGuestGsBase};
    for (unsigned i = 0; i < 5; ++i) {
        w(sels[i], BH_SEL_DATA);
        w(limits[i], 0xffffffff);
        w(ars[i], kArData);
        w(bases[i], 0);
    }
    w(kGuestCsSel, BH_SEL_CODE64);
    w(kGuestCsLimit, 0xffffffff);
    w(kGuestCsAr, kArCode64);
    w(kGuestCsBase, 0);
    w(kGuestTrSel, 0);
    w(kGuestTrLimit, 0x67);
    w(kGuestTrAr, kArTss64Busy);
    w(kGuestTrBase, 0);
    w(kGuestLdtrSel, 0);
    w(kGuestLdtrLimit, 0);
    w(kGuestLdtrAr, kArUnusable);
    w(kGuestLdtrBase, 0);
    w(kGuestGdtrBase, 0);
    w(kGuestGdtrLimit, 0);
    w(kGuestIdtrBase, 0);
    w(kGuestIdtrLimit, 0);
    u64 cr0 = x86::kCr0Pe | x86::kCr0Mp | x86::kCr0Et | x86::kCr0Ne | x86::kCr0Wp | x86::kCr0Pg;
    w(kGuestCr0, (cr0 | c.cr0_fixed0) & c.cr0_fixed1);
    w(kCr0Shadow, cr0);
    w(kGuestCr3, z.arch.boot_tables.raw());
    w(kGuestCr4, ((kGuestCr4Visible | x86::kCr4Vmxe) | c.cr4_fixed0) & c.cr4_fixed1);
    w(kGuestDr7, x86::kDr7Reset);
    w(kGuestEfer, x86::kEferLme | x86::kEferLma | x86::kEferNxe);
    w(kGuestPat, kPatPowerOn);
    w(kGuestDebugCtl, 0);
    w(kVmcsLinkPointer, ~u64(0));
    w(kGuestActivity, 0);
    w(kGuestInterruptibility, 0);
    w(kGuestPendingDebug, 0);
    w(kGuestSysenterCs, 0);
    w(kGuestSysenterEsp, 0);
    w(kGuestSysenterEip, 0);
    if (v.ctx.real_mode_vector >= 0) ok = setup_real_mode(w, static_cast<u8>(v.ctx.real_mode_vector)) && ok;
    if (v.ctx.start_flat32) ok = setup_flat32(w) && ok;
    return ok;
}

void crash(Vcpu& v, const char* what) {
    char why[96];
    u64 err = read(kInstructionError);
    format(why, sizeof why, "%s (VM-instruction error %llu)", what, static_cast<ull>(err));
    zone_end(*v.zone, ZoneState::crashed, BH_EXIT_BAD_STATE, err, why);
}

// The VMX-preemption timer ends every run by the CPU's next timer deadline
// or after one time slice, whichever is sooner, independently of interrupt
// delivery: a zone never runs unchecked for longer. (It also keeps time
// slices working under Bochs, which does not turn external interrupts into
// exits while a zone runs with RFLAGS.IF = 0.)
void arm_preemption_timer() {
    const Caps& c = caps();
    if (!c.preemption_timer) return;
    u64 now = arch::now();
    u64 until = now + sched::slice_ticks();
    u64 deadline = timer_deadline();
    if (deadline && deadline < until) until = deadline;
    u64 ticks = until > now ? (until - now) >> c.preemption_shift : 0;
    write(kGuestPreemptionTimer, ticks > 0xffffffffu ? 0xffffffffu : ticks);
}

// The local APIC's highest deliverable interrupt goes in now if the zone
// can take it (no event pending, RFLAGS.IF, no STI/MOV SS shadow); else the
// CPU exits as soon as it can (interrupt-window exiting).
void offer_interrupt(Vcpu& v) {
    int vector = v.ctx.lapic.deliverable();
    bool want_window = false;
    if (vector >= 0) {
        bool can = !(read(kEntryInterruptInfo) & intr_info::kValid) && (v.ctx.regs.rflags & x86::kRflagsIf) &&
                   !(read(kGuestInterruptibility) & (kBlockingSti | kBlockingMovSs));
        if (can) {
            write(kEntryInterruptInfo, intr_info::kValid | intr_info::kExternal | static_cast<u64>(vector));
            v.ctx.lapic.acknowledge(static_cast<u8>(vector));
        } else {
            want_window = true;
        }
    }
    v.ctx.irq_window = want_window;
}

void inject(u8 vector, bool error_code) {
    using namespace intr_info;
    write(kEntryInterruptInfo, kValid | kHardwareException | vector | (error_code ? kDeliverError : 0));
    if (error_code) write(kEntryExceptionError, 0);
}

} // namespace

// The VMCS's part of a reset: it is written in full at the vCPU's next
// load (on its home CPU), from the state vcpu.cpp reset.
void vcpu_reset(Vcpu& v, GuestPhys, u64) {
    arch::VcpuContext& ctx = v.ctx;
    ctx.star = ctx.lstar = ctx.cstar = ctx.sfmask = ctx.kernel_gs_base = 0;
    ctx.control_block_ready = false;
    ctx.launched = false;
    ctx.real_mode_vector = -1;
    ctx.start_flat32 = false;
}

void vcpu_enter_flat32(Vcpu& v) { v.ctx.start_flat32 = true; }

bool can_run_real_mode() { return caps().unrestricted; }

bool vcpu_reset_real_mode(Vcpu& v, u8 vector) {
    if (!caps().unrestricted) return false;
    vcpu_reset(v, GuestPhys(0), 0);
    v.ctx.real_mode_vector = vector;
    return true;
}

void vcpu_load(Vcpu& v) {
    arch::VcpuContext& ctx = v.ctx;
    u64 pa = pa_of(v);
    bool ok = true;
    if (!ctx.control_block_ready) {
        __builtin_memset(ctx.control_block, 0, kPageSize);
        u32 rev = caps().revision;
        __builtin_memcpy(ctx.control_block, &rev, sizeof rev);
        ok = vmclear(pa) && vmptrld(pa) && setup(v);
        ctx.control_block_ready = ok;
    } else {
        ok = vmptrld(pa);
    }
    if (!ok) panic("VMCS of zone '%s' vCPU %u cannot be loaded", v.zone->name, v.index);
    local().current_vmcs = pa;
    ctx.launched = false;
    x86::wrmsr(0xc0000081, ctx.star);
    x86::wrmsr(0xc0000082, ctx.lstar);
    x86::wrmsr(0xc0000083, ctx.cstar);
    x86::wrmsr(0xc0000084, ctx.sfmask);
    x86::wrmsr(x86::kMsrKernelGsBase, ctx.kernel_gs_base);
    // DR6 is not in the VMCS: always the vCPU's own, so that a #DB the
    // zone takes before its debug registers are live (single-step, INT1)
    // adds its status bits to the vCPU's DR6 and no other.
    x86::write_dr6(ctx.dr6);
}

void vcpu_save(Vcpu& v) {
    arch::VcpuContext& ctx = v.ctx;
    ctx.star = x86::rdmsr(0xc0000081);
    ctx.lstar = x86::rdmsr(0xc0000082);
    ctx.cstar = x86::rdmsr(0xc0000083);
    ctx.sfmask = x86::rdmsr(0xc0000084);
    ctx.kernel_gs_base = x86::rdmsr(x86::kMsrKernelGsBase);
    ctx.dr6 = x86::read_dr6();
    vmclear(pa_of(v)); // writes the VMCS back to memory; the next load launches again
    local().current_vmcs = 0;
    ctx.launched = false;
}

void vcpu_run(Vcpu& v) {
    CpuLocal& l = local();
    arch::GuestRegs& r = v.ctx.regs;
    const Zone& z = *v.zone;
    // A forwarded access a server has completed: its result and the RIP
    // past it, before they are written into the VMCS.
    mmio_finish_pending(v);
    write(kGuestRsp, r.rsp);
    write(kGuestRip, r.rip);
    write(kGuestRflags, r.rflags);
    // Translations are tagged by VPID and EPTP, not by vCPU: flush when the
    // tag last run here with this VPID was another.
    // (In guest mode from here, for flush_guest_tlb: the tag is read after.)
    v.ctx.guest_epoch.fetch_add(1, MemoryOrder::seq_cst);
    u32 vpid = z.arch.asid;
    u64 tag = v.ctx.tlb_tag.load(MemoryOrder::seq_cst);
    if (vpid >= CpuLocal::kTrackedAsids || l.asid_tag[vpid] != tag) {
        invept_single(eptp_of(z));
        if (caps().vpid) invvpid_single(static_cast<u16>(vpid));
        if (vpid < CpuLocal::kTrackedAsids) l.asid_tag[vpid] = tag;
    }
    lapic_before_entry(v);
    offer_interrupt(v);
    update_proc_controls(v);
    arm_preemption_timer();
    bool failed = vmx_run(&r, v.ctx.launched);
    v.ctx.guest_epoch.fetch_add(1, MemoryOrder::release);
    if (failed) {
        crash(v, v.ctx.launched ? "VMRESUME failed" : "VMLAUNCH failed");
        return;
    }
    v.ctx.launched = true;
    r.rsp = read(kGuestRsp);
    r.rip = read(kGuestRip);
    r.rflags = read(kGuestRflags);
    // An event whose delivery the exit interrupted is delivered again.
    u64 idt = read(kIdtVectoringInfo);
    if (idt & intr_info::kValid) {
        write(kEntryInterruptInfo, idt & ~u64(intr_info::kNmiUnblocking));
        if (idt & intr_info::kDeliverError) write(kEntryExceptionError, read(kIdtVectoringError));
        write(kEntryInstructionLength, read(kExitInstructionLength));
    }
    handle_exit(v);
}

void inject_gp(Vcpu&) { inject(13, true); }
void inject_ud(Vcpu&) { inject(6, false); }

u64 guest_efer(Vcpu&) { return read(kGuestEfer); }
void set_guest_efer(Vcpu&, u64 value) { write(kGuestEfer, value); }
u64 guest_pat(Vcpu&) { return read(kGuestPat); }
void set_guest_pat(Vcpu&, u64 value) { write(kGuestPat, value); }
u64 tsc_offset(Vcpu&) { return read(kTscOffset); }

// A MOV to CR0 that touches a host-owned bit (cr0_host_owned): the zone's
// value goes to the shadow, the CPU gets it with the fixed bits forced. A
// change of PG made here rather than by the CPU is a change of mode the CPU
// did not see: entering paging with EFER.LME set activates long mode
// (EFER.LMA and the "IA-32e mode guest" entry control), leaving it
// deactivates long mode.
Emulation write_cr0(Vcpu& v, u64 value) {
    const Caps& c = caps();
    u64 old = read(kCr0Shadow);
    bool pg_on = (value & x86::kCr0Pg) && !(old & x86::kCr0Pg), pg_off = !(value & x86::kCr0Pg) && (old & x86::kCr0Pg);
    bool invalid = (value >> 32) || ((value & x86::kCr0Pg) && !(value & x86::kCr0Pe)) ||
                   ((value & (1u << 29)) && !(value & (1u << 30))); // NW without CD
    u64 efer = read(kGuestEfer);
    if (pg_on && !(efer & x86::kEferLme) && (read(kGuestCr4) & x86::kCr4Pae))
        invalid = true; // PAE paging: no PDPTE load
    if (invalid) {
        inject_gp(v);
        return Emulation::faulted;
    }
    write(kCr0Shadow, value);
    u64 relaxed = c.unrestricted ? (x86::kCr0Pe | x86::kCr0Pg) : 0;
    write(kGuestCr0, (value | (c.cr0_fixed0 & ~relaxed)) & c.cr0_fixed1);
    if (pg_on && (efer & x86::kEferLme)) {
        write(kGuestEfer, efer | x86::kEferLma);
        write(kEntryControls, read(kEntryControls) | kEntryGuest64);
    } else if (pg_off && (efer & x86::kEferLma)) {
        write(kGuestEfer, efer & ~x86::kEferLma);
        write(kEntryControls, read(kEntryControls) & ~u64(kEntryGuest64));
    }
    if (c.vpid) invvpid_single(static_cast<u16>(v.zone->arch.asid)); // what the instruction would have flushed
    return Emulation::completed;
}

// Only CR4 writes that would set a host-owned bit exit, and those are all
// refused; the general path stays for any bit the mask may own later.
Emulation write_cr4(Vcpu& v, u64 value) {
    const Caps& c = caps();
    Cr4Write w{value, read(kCr4Shadow), c.zone_cr4, read(kGuestCr3), (read(kGuestEfer) & x86::kEferLma) != 0};
    if (!cr4_write_allowed(w)) {
        inject_gp(v);
        return Emulation::faulted;
    }
    write(kCr4Shadow, value);
    write(kGuestCr4, ((value | x86::kCr4Vmxe) | c.cr4_fixed0) & c.cr4_fixed1);
    if (c.vpid) invvpid_single(static_cast<u16>(v.zone->arch.asid)); // what the instruction would have flushed
    return Emulation::completed;
}

} // namespace bh::x86_64::vmx
