// SPDX-License-Identifier: GPL-2.0-only
// Per-interrupt pending and active state as the redistributor's and the
// distributor's set/clear registers show and change it (GICv3 4.1): an
// interrupt is pending when its bit is set, when a list register holds it
// pending, or (the timers, level-sensitive) while its timer asserts the
// line; active when a list register holds it active.
//
// A target vCPU's list registers are reached when it is loaded on this CPU
// or saved (under its home CPU's lock, so it is not loaded meanwhile). Those
// of a vCPU running on another CPU are not: changes to interrupts it holds
// in list registers then apply to its pending bits only.
#include "gic.hpp"
#include "passthrough.hpp"
#include "vgic.hpp"
#include "vgic_lr.hpp"
#include "vtimer.hpp"

#include <bulkhead/arch_interface.hpp>

namespace bh::aarch64 {
namespace {

class Lrs {
  public:
    explicit Lrs(Vcpu& t) : t_(t), live_(loaded_here(t)), lock_(live_ ? nullptr : &bh::cpu(t.home_cpu).lock) {
        if (lock_) lock_->lock();
        reachable_ = live_ || !t.on_cpu.load();
        empty_ = live_ ? BH_READ_SYSREG(ich_elrsr_el2) : 0;
    }
    ~Lrs() {
        if (lock_) lock_->unlock();
    }
    Lrs(const Lrs&) = delete;
    Lrs& operator=(const Lrs&) = delete;

    bool live() const { return live_; }
    // The list register holding `intid`, or -1.
    int find(u32 intid) const {
        if (!reachable_) return -1;
        for (unsigned n = 0; n < vgic_lr_count(); ++n)
            if (used(n) && lr_intid(get(n)) == intid) return static_cast<int>(n);
        return -1;
    }
    int free_one() const {
        if (!reachable_) return -1;
        for (unsigned n = 0; n < vgic_lr_count(); ++n)
            if (!used(n)) return static_cast<int>(n);
        return -1;
    }
    u64 get(unsigned n) const { return live_ ? read_lr(n) : t_.ctx.vgic.lr[n]; }
    void set(unsigned n, u64 lr) {
        if (!(lr & kLrStateMask)) lr = 0;
        if (live_)
            write_lr(n, lr);
        else
            t_.ctx.vgic.lr[n] = lr;
        if (live_) empty_ = lr ? empty_ & ~(u64(1) << n) : empty_ | (u64(1) << n);
    }
    // The bits of bank `word` whose list registers have any of `state`.
    u32 word_with(unsigned word, u64 state) const {
        u32 bits = 0;
        if (!reachable_) return 0;
        for (unsigned n = 0; n < vgic_lr_count(); ++n) {
            if (!used(n)) continue;
            u64 lr = get(n);
            if ((lr & state) && lr_intid(lr) / 32 == word) bits |= 1u << (lr_intid(lr) % 32);
        }
        return bits;
    }

  private:
    bool used(unsigned n) const { return live_ ? !(empty_ >> n & 1) : (t_.ctx.vgic.lr[n] & kLrStateMask) != 0; }

    Vcpu& t_;
    bool live_;
    Spinlock* lock_;
    bool reachable_ = false;
    u64 empty_ = 0;
};

template <class F>
void each_bit(u32 bits, F f) {
    while (bits) {
        unsigned b = static_cast<unsigned>(__builtin_ctz(bits));
        bits &= bits - 1;
        f(b);
    }
}

void set_pending_bit(Vcpu& t, u32 intid, bool on) {
    u32 bit = 1u << (intid % 32);
    if (on)
        __atomic_fetch_or(&t.ctx.vgic.pending[intid / 32], bit, __ATOMIC_RELEASE);
    else
        __atomic_fetch_and(&t.ctx.vgic.pending[intid / 32], ~bit, __ATOMIC_ACQ_REL);
}

// A hardware entry (a timer, a passed-through SPI) leaves the list
// registers: hand its physical interrupt back.
void release_hw(u64 lr) {
    if (lr & kLrHw) gic_deactivate(lr_pintid(lr));
}

} // namespace

u32 vgic_pending_word(Vcpu& t, unsigned word) {
    u32 bits = __atomic_load_n(&t.ctx.vgic.pending[word], __ATOMIC_ACQUIRE);
    {
        Lrs lrs(t);
        bits |= lrs.word_with(word, kLrStatePending);
    }
    if (word == 0)
        for (unsigned i = 0; i < kTimers; ++i)
            if (timer_line(t, i)) bits |= 1u << kTimerIntid[i];
    return bits;
}

u32 vgic_active_word(Vcpu& t, unsigned word) {
    Lrs lrs(t);
    return lrs.word_with(word, kLrStateActive);
}

void vgic_clear_pending(Vcpu& t, unsigned word, u32 bits) {
    each_bit(bits, [&](unsigned b) {
        u32 intid = word * 32 + b;
        int timer = timer_of_intid(intid);
        if (timer >= 0 && timer_line(t, static_cast<unsigned>(timer))) return; // level: still asserted
        set_pending_bit(t, intid, false);
        // A passed-through SPI held for the zone goes back to the device:
        // it fires again if the device still asserts it.
        if (passthrough_take(*t.zone, intid)) gic_deactivate(intid);
        Lrs lrs(t);
        if (timer >= 0 && lrs.live() && (t.ctx.vgic.hw_held >> timer & 1)) {
            t.ctx.vgic.hw_held &= static_cast<u8>(~(1u << timer));
            gic_deactivate(intid);
        }
        int n = lrs.find(intid);
        if (n < 0) return;
        u64 lr = lrs.get(static_cast<unsigned>(n));
        if (!(lr & kLrStatePending)) return;
        if (!(lr & kLrStateActive)) release_hw(lr);
        lrs.set(static_cast<unsigned>(n), lr & ~kLrStatePending);
    });
}

void vgic_set_active(Vcpu& t, unsigned word, u32 bits, bool active) {
    each_bit(bits, [&](unsigned b) {
        u32 intid = word * 32 + b;
        Lrs lrs(t);
        int n = lrs.find(intid);
        if (n < 0) {
            n = active ? lrs.free_one() : -1;
            if (n >= 0)
                lrs.set(static_cast<unsigned>(n),
                        kLrStateActive | kLrGroup1 | (u64(vgic_priority(t, intid)) << kLrPriorityShift) | intid);
            return;
        }
        u64 lr = lrs.get(static_cast<unsigned>(n));
        // Either way a hardware entry becomes a software one: pending and
        // active is not a hardware state, and a deactivated one is done.
        release_hw(lr);
        lr &= ~(kLrHw | kLrPintidMask);
        lrs.set(static_cast<unsigned>(n), active ? lr | kLrStateActive : lr & ~kLrStateActive);
    });
}

void vgic_disabled(Vcpu& t, unsigned word, u32 bits) {
    each_bit(bits, [&](unsigned b) {
        u32 intid = word * 32 + b;
        Lrs lrs(t);
        int n = lrs.find(intid);
        if (n < 0) return;
        u64 lr = lrs.get(static_cast<unsigned>(n));
        if (!(lr & kLrStatePending)) return;
        if (lr & kLrHw) {
            // A timer: its PPI goes back; if the line is still up it fires
            // again and is held (disabled) until enabled. A passed-through
            // SPI is disabled at the GIC first (vgic_mmio.cpp) and fires
            // again once enabled, if the device still asserts it.
            release_hw(lr);
            lrs.set(static_cast<unsigned>(n), 0);
            return;
        }
        lrs.set(static_cast<unsigned>(n), lr & ~kLrStatePending);
        set_pending_bit(t, intid, true);
    });
}

} // namespace bh::aarch64
