// SPDX-License-Identifier: GPL-2.0-only
// Interrupt delivery to vCPUs through the GIC's list registers.
#include "vgic.hpp"

#include "gic.hpp"
#include "vgic_lr.hpp"

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone.hpp>

namespace bh::aarch64 {
namespace {

unsigned lr_count = 4;
// ICH_HCR_EL2 as last written on each CPU: vgic_flush checks it on every
// exit, and a read of it is a GIC access (slow under emulation).
u64 hcr_written[arch::kMaxCpus];

void write_hcr(u64 value) {
    hcr_written[arch::this_cpu().index] = value;
    BH_WRITE_SYSREG(ich_hcr_el2, value);
}

u8 priority_of(const Vcpu& v, u32 intid) {
    if (intid < 32) return v.ctx.vgic.priority_private[intid];
    return v.zone->arch.dist.priority[intid - 32];
}

u32 deliverable(const Vcpu& v, unsigned word) {
    u32 pend = __atomic_load_n(&v.ctx.vgic.pending[word], __ATOMIC_ACQUIRE);
    if (!pend || !(v.zone->arch.dist.ctlr & 2)) return 0;
    if (word == 0) return pend & v.ctx.vgic.enabled_private;
    return pend & v.zone->arch.dist.enabled[word - 1];
}

} // namespace

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
}

void vgic_load(Vcpu& v) {
    arch::VgicCpuState& g = v.ctx.vgic;
    for (unsigned n = 0; n < lr_count; ++n) write_lr(n, g.lr[n]);
    BH_WRITE_SYSREG(ich_vmcr_el2, g.vmcr);
    BH_WRITE_SYSREG(ich_ap0r0_el2, g.ap0r0);
    BH_WRITE_SYSREG(ich_ap1r0_el2, g.ap1r0);
    write_hcr(g.hcr);
}

void vgic_save(Vcpu& v) {
    arch::VgicCpuState& g = v.ctx.vgic;
    for (unsigned n = 0; n < lr_count; ++n) g.lr[n] = read_lr(n);
    g.vmcr = BH_READ_SYSREG(ich_vmcr_el2);
    g.ap0r0 = BH_READ_SYSREG(ich_ap0r0_el2);
    g.ap1r0 = BH_READ_SYSREG(ich_ap1r0_el2);
    g.hcr = hcr_written[arch::this_cpu().index] & ~kIchHcrUie;
    write_hcr(0);
}

void vgic_raise(Vcpu& v, u32 intid) {
    if (intid >= arch::kVgicIntids) return;
    __atomic_fetch_or(&v.ctx.vgic.pending[intid / 32], 1u << (intid % 32), __ATOMIC_RELEASE);
    // The loaded vCPU on this CPU picks it up at the end of this exit.
    if (arch::this_cpu().current != &v) sched::wake(v);
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
            // Already in a list register? Edge semantics: merge into it.
            bool merged = false;
            for (unsigned n = 0; n < lr_count; ++n) {
                if (empty >> n & 1) continue;
                u64 lr = read_lr(n);
                if ((lr & kLrIntidMask) != intid) continue;
                if (!(lr & kLrStatePending)) write_lr(n, lr | kLrStatePending);
                merged = true;
                break;
            }
            if (!merged) {
                unsigned n = 0;
                while (n < lr_count && !(empty >> n & 1)) ++n;
                if (n == lr_count) {
                    overflow = true;
                    break;
                }
                write_lr(n, kLrStatePending | kLrGroup1 | (u64(priority_of(v, intid)) << kLrPriorityShift) | intid);
                empty &= ~(u64(1) << n);
            }
            __atomic_fetch_and(&v.ctx.vgic.pending[w], ~(1u << b), __ATOMIC_ACQ_REL);
        }
    }
    // Out of list registers: ask for a maintenance interrupt when they drain.
    u64 hcr = hcr_written[arch::this_cpu().index];
    u64 want = overflow ? (hcr | kIchHcrUie) : (hcr & ~kIchHcrUie);
    if (want != hcr) write_hcr(want);
}

bool vgic_has_pending(const Vcpu& v) {
    for (unsigned w = 0; w < arch::kVgicIntids / 32; ++w)
        if (deliverable(v, w)) return true;
    bool loaded = v.on_cpu.load() && arch::this_cpu().current == &v;
    u64 empty = loaded ? BH_READ_SYSREG(ich_elrsr_el2) : 0;
    for (unsigned n = 0; n < lr_count; ++n) {
        if (loaded && (empty >> n & 1)) continue;
        u64 lr = loaded ? read_lr(n) : v.ctx.vgic.lr[n];
        if (lr & kLrStatePending) return true;
    }
    return false;
}

void vgic_virtual_timer_fired(Vcpu& v) {
    // The timer's output is level: mask it so the line drops, and let the
    // guest unmask it when it reprograms the timer (as Linux does).
    u64 ctl = BH_READ_SYSREG(cntv_ctl_el0);
    BH_WRITE_SYSREG(cntv_ctl_el0, ctl | 2);
    __atomic_fetch_or(&v.ctx.vgic.pending[0], 1u << arch::kVtimerIntid, __ATOMIC_RELEASE);
}

void vgic_physical_timer_fired(Vcpu& v) {
    BH_WRITE_SYSREG(cntp_ctl_el0, BH_READ_SYSREG(cntp_ctl_el0) | 2);
    __atomic_fetch_or(&v.ctx.vgic.pending[0], 1u << arch::kPtimerIntid, __ATOMIC_RELEASE);
}

void vgic_maintenance() { write_hcr(hcr_written[arch::this_cpu().index] & ~kIchHcrUie); }

void vgic_sgi_write(Vcpu& v, u64 value) {
    Zone& z = *v.zone;
    u32 intid = static_cast<u32>((value >> 24) & 0xf);
    bool all_others = value >> 40 & 1;
    u64 aff1 = (value >> 16) & 0xff, aff2 = (value >> 32) & 0xff, aff3 = (value >> 48) & 0xff;
    u64 rs = (value >> 44) & 0xf;
    u32 targets = static_cast<u32>(value & 0xffff);
    for (u32 i = 0; i < z.vcpu_count; ++i) {
        Vcpu& t = z.vcpus[i];
        bool hit = all_others ? &t != &v : (aff1 == 0 && aff2 == 0 && aff3 == 0 && rs == 0 && (targets >> i & 1));
        if (hit) vgic_raise(t, intid);
    }
}

} // namespace bh::aarch64
