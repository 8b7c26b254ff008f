// SPDX-License-Identifier: GPL-2.0-only
// Interrupt delivery to vCPUs through the GIC's list registers.
//
// Software interrupts (SGIs, SPIs, ISPENDR writes) are pending bits until
// the end of an exit moves them into free list registers. The two EL1 timer
// PPIs are level-sensitive and arrive as physical PPIs: the hypervisor
// acknowledges one and drops its priority (EOImode 1) but leaves it active,
// and writes a hardware list register (HW = 1, pINTID = the PPI), so the
// zone's deactivation deactivates the physical PPI and, if the timer still
// asserts it, it fires again. Until the zone takes it, the line is
// re-sampled at every exit: a timer disabled, masked or moved into the future
// takes its interrupt back. A vCPU saved with such an interrupt hands the
// physical PPI back (deactivated); its timer is re-sampled when it is loaded.
// The control domain's passed-through SPIs go the same way into hardware
// list registers (passthrough.cpp), but stay there when the vCPU is saved.
#include "vgic.hpp"

#include "gic.hpp"
#include "passthrough.hpp"
#include "vgic_lr.hpp"
#include "vtimer.hpp"

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone.hpp>

namespace bh::aarch64 {
namespace {

unsigned lr_count = 4;
// Per CPU (PerCpu::arch): ICH_HCR_EL2 as last written, since vgic_flush
// checks it on every exit and a read of it is a GIC access (slow under
// emulation); whether the list registers may hold a hardware (timer) entry;
// the timers whose PPI fired in this exit (asserted: nothing to re-sample).
arch::CpuContext& here() { return arch::this_cpu().arch; }

void write_hcr(u64 value) {
    here().ich_hcr = value;
    BH_WRITE_SYSREG(ich_hcr_el2, value);
}

u32 deliverable(const Vcpu& v, unsigned word) {
    u32 pend = __atomic_load_n(&v.ctx.vgic.pending[word], __ATOMIC_ACQUIRE);
    if (!pend || !(v.zone->arch.dist.ctlr & 2)) return 0;
    if (word == 0) return pend & v.ctx.vgic.enabled_private;
    return pend & v.zone->arch.dist.enabled[word - 1];
}

void clear_pending_bit(Vcpu& v, u32 intid) {
    __atomic_fetch_and(&v.ctx.vgic.pending[intid / 32], ~(1u << (intid % 32)), __ATOMIC_ACQ_REL);
}

// Timer interrupts of the loaded vCPU that the zone has not taken yet
// (pending in a hardware list register, or held back by the virtual GIC)
// whose timer no longer asserts its line: withdrawn, physical PPI deactivated.
void resample_timers(Vcpu& v) {
    arch::VgicCpuState& g = v.ctx.vgic;
    bool any_hw = false;
    u64 empty = BH_READ_SYSREG(ich_elrsr_el2);
    for (unsigned n = 0; n < lr_count; ++n) {
        if (empty >> n & 1) continue;
        u64 lr = read_lr(n);
        if (!(lr & kLrHw)) continue;
        int t = timer_of_intid(lr_intid(lr));
        if (t >= 0 && (lr & kLrStateMask) == kLrStatePending && !timer_line(v, static_cast<unsigned>(t))) {
            write_lr(n, 0);
            gic_deactivate(lr_pintid(lr));
            continue;
        }
        any_hw = true;
    }
    here().hardware_lrs = any_hw;
    u8 stale = static_cast<u8>(g.hw_held & ~here().fresh_timers);
    for (unsigned t = 0; t < kTimers; ++t) {
        if (!(stale >> t & 1) || timer_line(v, t)) continue;
        g.hw_held = static_cast<u8>(g.hw_held & ~(1u << t));
        clear_pending_bit(v, kTimerIntid[t]);
        gic_deactivate(kTimerIntid[t]);
    }
}

// Whether the hypervisor holds `intid`'s physical interrupt for `v` (a
// timer PPI, or a passed-through SPI); after the call it no longer does.
bool take_physical(Vcpu& v, u32 intid) {
    int t = timer_of_intid(intid);
    if (t < 0) return passthrough_take(*v.zone, intid);
    arch::VgicCpuState& g = v.ctx.vgic;
    if (!(g.hw_held >> t & 1)) return false;
    g.hw_held = static_cast<u8>(g.hw_held & ~(1u << t));
    return true;
}

// The list-register value for `intid` becoming pending, merged into `lr`
// (0 for a new one). An interrupt whose physical one the hypervisor holds
// goes in as hardware.
u64 pending_lr(Vcpu& v, u64 lr, u32 intid) {
    if (!lr) lr = kLrGroup1 | (u64(vgic_priority(v, intid)) << kLrPriorityShift) | intid;
    if (take_physical(v, intid)) {
        here().hardware_lrs = true;
        lr = (lr & ~kLrPintidMask) | lr_hw(intid);
        // Active already (from before a switch): the physical interrupt now
        // stands for it, and fires again after the zone's deactivation if asserted.
        if (lr & kLrStateActive) return lr & ~kLrStatePending;
    }
    if ((lr & kLrHw) && (lr & kLrStateActive)) return lr; // pending and active is not a hardware state
    return lr | kLrStatePending;
}

} // namespace

u8 vgic_priority(const Vcpu& v, u32 intid) {
    if (intid < 32) return v.ctx.vgic.priority_private[intid];
    return v.zone->arch.dist.priority[intid - 32];
}

unsigned vgic_lr_count() { return lr_count; }

void vgic_init_cpu() { lr_count = gic_list_registers(); }

void vgic_zone_init(Zone& z) {
    arch::VgicDistState& d = z.arch.dist;
    d.ctlr = 0;
    for (auto& e : d.enabled) e = 0;
    for (auto& p : d.priority) p = 0;
    for (auto& c : d.icfgr) c = 0;
    for (auto& r : d.irouter) r = 0;
}

void vgic_vcpu_reset(Vcpu& v) {
    arch::VgicCpuState& g = v.ctx.vgic;
    for (auto& p : g.pending) p = 0;
    g.enabled_private = 0;
    for (auto& p : g.priority_private) p = 0;
    g.icfgr1 = 0;
    g.processor_sleep = true;
    for (auto& lr : g.lr) lr = 0;
    g.vmcr = g.ap0r0 = g.ap1r0 = 0;
    g.hcr = kIchHcrEn;
    g.hw_held = 0;
}

void vgic_load(Vcpu& v) {
    arch::VgicCpuState& g = v.ctx.vgic;
    for (unsigned n = 0; n < lr_count; ++n) write_lr(n, g.lr[n]);
    BH_WRITE_SYSREG(ich_vmcr_el2, g.vmcr);
    BH_WRITE_SYSREG(ich_ap0r0_el2, g.ap0r0);
    BH_WRITE_SYSREG(ich_ap1r0_el2, g.ap1r0);
    write_hcr(g.hcr);
}

// Called with the vCPU's timers already stopped (vcpu_save).
void vgic_save(Vcpu& v) {
    arch::VgicCpuState& g = v.ctx.vgic;
    for (unsigned n = 0; n < lr_count; ++n) {
        u64 lr = read_lr(n);
        if ((lr & kLrHw) && lr_intid(lr) < 32) {
            // Hand the physical PPI back (a passed-through SPI stays: it is
            // not tied to this CPU). Taken already: the zone still ends it
            // (a software entry). Not taken yet: forgotten; loading the
            // timer raises it again if it still asserts.
            gic_deactivate(lr_pintid(lr));
            lr = (lr & kLrStateActive) ? (lr & ~(kLrHw | kLrPintidMask | kLrStatePending)) : 0;
        }
        g.lr[n] = lr;
    }
    for (unsigned t = 0; t < kTimers; ++t) {
        if (!(g.hw_held >> t & 1)) continue;
        clear_pending_bit(v, kTimerIntid[t]);
        gic_deactivate(kTimerIntid[t]);
    }
    g.hw_held = 0;
    here().hardware_lrs = false;
    g.vmcr = BH_READ_SYSREG(ich_vmcr_el2);
    g.ap0r0 = BH_READ_SYSREG(ich_ap0r0_el2);
    g.ap1r0 = BH_READ_SYSREG(ich_ap1r0_el2);
    g.hcr = here().ich_hcr & ~kIchHcrUie;
    write_hcr(0);
}

void vgic_raise(Vcpu& v, u32 intid) {
    if (intid >= arch::kVgicIntids) return;
    __atomic_fetch_or(&v.ctx.vgic.pending[intid / 32], 1u << (intid % 32), __ATOMIC_RELEASE);
    // The loaded vCPU on this CPU picks it up at the end of this exit.
    if (arch::this_cpu().current != &v) sched::wake(v);
}

void vgic_timer_fired(Vcpu& v, unsigned t) {
    v.ctx.vgic.hw_held = static_cast<u8>(v.ctx.vgic.hw_held | (1u << t));
    u8& fresh = here().fresh_timers;
    fresh = static_cast<u8>(fresh | (1u << t));
    __atomic_fetch_or(&v.ctx.vgic.pending[0], 1u << kTimerIntid[t], __ATOMIC_RELEASE);
}

bool vgic_timer_held(const Vcpu& v, unsigned t) { return loaded_here(v) && (v.ctx.vgic.hw_held >> t & 1); }

void vgic_resample(Vcpu& v) {
    const arch::CpuContext& c = here();
    if ((v.ctx.vgic.hw_held & ~c.fresh_timers) || c.hardware_lrs) resample_timers(v);
}

} // namespace bh::aarch64

namespace bh::arch {

void raise_zone_interrupt(Zone& z, u32 line) {
    if (line >= kVgicSpis) return;
    u32 target = static_cast<u32>(z.arch.dist.irouter[line] & 0xff);
    if (target >= z.vcpu_count) target = 0;
    aarch64::vgic_raise(z.vcpus[target], 32 + line);
}

} // namespace bh::arch

namespace bh::aarch64 {

void vgic_flush(Vcpu& v) {
    vgic_resample(v);
    here().fresh_timers = 0;
    bool any = false;
    for (unsigned w = 0; w < arch::kVgicIntids / 32; ++w) any |= deliverable(v, w) != 0;
    if (!any) return;
    u64 empty = BH_READ_SYSREG(ich_elrsr_el2);
    bool overflow = false;
    for (unsigned w = 0; w < arch::kVgicIntids / 32 && !overflow; ++w) {
        u32 bits = deliverable(v, w);
        while (bits) {
            unsigned b = static_cast<unsigned>(__builtin_ctz(bits));
            bits &= bits - 1;
            u32 intid = w * 32 + b;
            // Already in a list register? Merge into it.
            unsigned n = 0;
            for (; n < lr_count; ++n)
                if (!(empty >> n & 1) && lr_intid(read_lr(n)) == intid) break;
            if (n < lr_count) {
                write_lr(n, pending_lr(v, read_lr(n), intid));
            } else {
                for (n = 0; n < lr_count && !(empty >> n & 1); ++n) {}
                if (n == lr_count) {
                    overflow = true;
                    break;
                }
                write_lr(n, pending_lr(v, 0, intid));
                empty &= ~(u64(1) << n);
            }
            clear_pending_bit(v, intid);
        }
    }
    // Out of list registers: ask for a maintenance interrupt when they drain.
    u64 hcr = here().ich_hcr;
    u64 want = overflow ? (hcr | kIchHcrUie) : (hcr & ~kIchHcrUie);
    if (want != hcr) write_hcr(want);
}

bool vgic_has_pending(const Vcpu& v) {
    for (unsigned w = 0; w < arch::kVgicIntids / 32; ++w)
        if (deliverable(v, w)) return true;
    bool loaded = loaded_here(v);
    u64 empty = loaded ? BH_READ_SYSREG(ich_elrsr_el2) : 0;
    for (unsigned n = 0; n < lr_count; ++n) {
        if (loaded && (empty >> n & 1)) continue;
        u64 lr = loaded ? read_lr(n) : v.ctx.vgic.lr[n];
        if (lr & kLrStatePending) return true;
    }
    return false;
}

void vgic_maintenance() { write_hcr(here().ich_hcr & ~kIchHcrUie); }

// ICC_SGI1R_EL1 (GICv3 12.2.23).
struct Sgi1r {
    u64 raw;
    constexpr u32 target_list() const { return static_cast<u32>(raw & 0xffff); }
    constexpr u32 aff1() const { return static_cast<u32>(raw >> 16) & 0xff; }
    constexpr u32 intid() const { return static_cast<u32>(raw >> 24) & 0xf; }
    constexpr u32 aff2() const { return static_cast<u32>(raw >> 32) & 0xff; }
    constexpr bool irm() const { return raw >> 40 & 1; } // every PE but the sender
    constexpr u32 rs() const { return static_cast<u32>(raw >> 44) & 0xf; }
    constexpr u32 aff3() const { return static_cast<u32>(raw >> 48) & 0xff; }
};
static_assert(Sgi1r{(u64(5) << 24) | (u64(1) << 40) | 3}.intid() == 5 && Sgi1r{u64(1) << 40}.irm() &&
              Sgi1r{(u64(2) << 44) | (u64(7) << 16)}.rs() == 2 && Sgi1r{u64(7) << 16}.aff1() == 7);

// A vCPU's MPIDR is Aff0 = its index (vcpu.cpp): targets with Aff1-3 or a
// range selector other than 0 name no vCPU.
void vgic_sgi_write(Vcpu& v, u64 value) {
    Zone& z = *v.zone;
    Sgi1r sgi{value};
    bool ours = sgi.aff1() == 0 && sgi.aff2() == 0 && sgi.aff3() == 0 && sgi.rs() == 0;
    for (u32 i = 0; i < z.vcpu_count; ++i) {
        Vcpu& t = z.vcpus[i];
        bool hit = sgi.irm() ? &t != &v : (ours && (sgi.target_list() >> i & 1));
        if (hit) vgic_raise(t, sgi.intid());
    }
}

} // namespace bh::aarch64
