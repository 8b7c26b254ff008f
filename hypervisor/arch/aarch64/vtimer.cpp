// SPDX-License-Identifier: GPL-2.0-only
// The EL1 timers' deadlines for the scheduler (a blocked vCPU wakes at the
// earlier of its armed timers and a WFIT timeout) and their output lines.
#include "vtimer.hpp"

#include "vgic.hpp"

#include <arch/sysreg.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/zone.hpp>

namespace bh::aarch64 {
namespace {

struct TimerView {
    u64 ctl, cval, offset;
    bool armed() const { return (ctl & (kCntCtlEnable | kCntCtlImask)) == kCntCtlEnable; }
    u64 deadline() const {
        u64 d = cval + offset;
        if (d < cval) return ~u64(0); // past the end of time
        return d ? d : 1;
    }
};

TimerView view(const Vcpu& v, unsigned t) {
    bool live = loaded_here(v);
    if (t == 0)
        return {live ? BH_READ_SYSREG(cntv_ctl_el0) : v.ctx.el1.cntv_ctl,
                live ? BH_READ_SYSREG(cntv_cval_el0) : v.ctx.el1.cntv_cval, v.zone->arch.cntvoff};
    return {live ? BH_READ_SYSREG(cntp_ctl_el0) : v.ctx.el1.cntp_ctl,
            live ? BH_READ_SYSREG(cntp_cval_el0) : v.ctx.el1.cntp_cval, 0};
}

// Makes the emulator evaluate a loaded timer's condition now: writing ENABLE
// afresh does (QEMU otherwise updates ISTATUS and the PPI only when its own
// timer callback runs, which can lag the counter by 100 us or more).
void reevaluate(unsigned t) {
    if (t == 0) {
        u64 ctl = BH_READ_SYSREG(cntv_ctl_el0);
        BH_WRITE_SYSREG(cntv_ctl_el0, 0);
        BH_WRITE_SYSREG(cntv_ctl_el0, ctl);
    } else {
        u64 ctl = BH_READ_SYSREG(cntp_ctl_el0);
        BH_WRITE_SYSREG(cntp_ctl_el0, 0);
        BH_WRITE_SYSREG(cntp_ctl_el0, ctl);
    }
    isb();
}

} // namespace

bool loaded_here(const Vcpu& v) { return v.on_cpu.load() && arch::this_cpu().current == &v; }

bool timer_line(const Vcpu& v, unsigned t) {
    TimerView tv = view(v, t);
    return tv.armed() && arch::now() >= tv.deadline();
}

} // namespace bh::aarch64

namespace bh::arch {

// A timer whose interrupt the vCPU already holds (acknowledged by the
// hypervisor, waiting for the zone to enable or unmask it) wakes nothing.
u64 vcpu_timer_deadline(const Vcpu& v) {
    u64 best = v.ctx.wfit_deadline;
    for (unsigned t = 0; t < aarch64::kTimers; ++t) {
        if (aarch64::vgic_timer_held(v, t)) continue;
        aarch64::TimerView tv = aarch64::view(v, t);
        if (tv.armed() && (best == 0 || tv.deadline() < best)) best = tv.deadline();
    }
    return best;
}

// A deadline passed. A saved vCPU needs nothing: loading its timers raises
// their PPIs, which reach it like any other firing. A loaded one (it found
// the deadline passed on WFI) gets its timers re-evaluated, so the PPI is
// pending before it runs again.
void vcpu_timer_expired(Vcpu& v) {
    u64 time = now();
    if (v.ctx.wfit_deadline && v.ctx.wfit_deadline <= time) v.ctx.wfit_deadline = 0; // WFIT timed out
    if (!aarch64::loaded_here(v)) return;
    for (unsigned t = 0; t < aarch64::kTimers; ++t) {
        aarch64::TimerView tv = aarch64::view(v, t);
        if (tv.armed() && tv.deadline() <= time) aarch64::reevaluate(t);
    }
}

} // namespace bh::arch
