// SPDX-License-Identifier: GPL-2.0-only
#include <arch/vlapic.hpp>

namespace bh::x86_64 {
namespace {

// Version 0x14 (an integrated APIC), LVT entries 0-5: timer, thermal,
// performance, LINT0, LINT1, error (CMCI is not offered).
constexpr u32 kVersion = 0x00050014;
constexpr u32 kEsrIllegalVectorReceived = 1u << 6, kEsrIllegalVectorSent = 1u << 5;
constexpr u32 kIcrDeliveryStatus = 1u << 12;
// Writable bits of the LVT entries: vector, delivery mode, polarity, trigger, mask, timer mode.
constexpr u32 kLvtTimerBits = 0x000700ff, kLvtLintBits = 0x0001a7ff, kLvtErrorBits = 0x000100ff,
              kLvtOtherBits = 0x000107ff;

bool in_bank(u32 offset, u32 base) { return offset >= base && offset < base + 0x80; }

} // namespace

void VirtualLapic::reset(u32 id, bool bsp, u64 min_period) {
    *this = VirtualLapic{};
    id_ = id;
    min_period_ = min_period;
    apic_base_ = kLapicMmioBase | kApicBaseEnable | (bsp ? kApicBaseBsp : 0);
}

bool VirtualLapic::write_apic_base(u64 value) {
    constexpr u64 kAllowed = 0xfffff000ull | kApicBaseBsp | kApicBaseExtd | kApicBaseEnable;
    if (value & ~kAllowed) return false;
    if ((value & 0xfffff000ull) != kLapicMmioBase) return false; // relocation is not offered
    bool en = value & kApicBaseEnable, extd = value & kApicBaseExtd;
    if (extd && !en) return false;                                   // no such mode
    if (x2apic() && globally_enabled() && en && !extd) return false; // x2APIC -> xAPIC must pass through disabled
    u64 bsp = apic_base_ & kApicBaseBsp;                             // read-only here
    if (!en && globally_enabled()) {
        // Globally disabling resets the APIC to its power-up state.
        reset(id_, bsp != 0, min_period_);
    }
    apic_base_ = kLapicMmioBase | bsp | (en ? kApicBaseEnable : 0) | (extd ? kApicBaseExtd : 0);
    return true;
}

int VirtualLapic::highest(const u32 (&bits)[8]) const {
    for (int i = 7; i >= 0; --i) {
        u32 w = __atomic_load_n(&bits[i], __ATOMIC_ACQUIRE); // the IRR changes under us
        if (w) return i * 32 + 31 - __builtin_clz(w);
    }
    return -1;
}

u32 VirtualLapic::isr_class() const {
    int isrv = highest(isr_);
    return isrv < 0 ? 0 : static_cast<u32>(isrv) & 0xf0;
}

u32 VirtualLapic::ppr() const {
    u32 isr = isr_class();
    return (tpr_ & 0xf0) >= isr ? tpr_ & 0xff : isr;
}

bool VirtualLapic::held_by_tpr() const {
    if (!has_request() || !globally_enabled() || !software_enabled()) return false;
    int v = highest(irr_);
    if (v < 0) return false;
    u32 cls = static_cast<u32>(v) & 0xf0;
    return cls > isr_class() && cls <= (tpr_ & 0xf0);
}

void VirtualLapic::accept(u8 vector) {
    if (vector < 16) {
        __atomic_or_fetch(&esr_pending_, kEsrIllegalVectorReceived, __ATOMIC_RELAXED);
        return;
    }
    // The bit first, then the summary: acknowledge() re-checks the word
    // after clearing its summary bit, so no request is ever hidden.
    __atomic_or_fetch(&irr_[vector / 32], 1u << (vector % 32), __ATOMIC_SEQ_CST);
    __atomic_or_fetch(&irr_summary_, 1u << (vector / 32), __ATOMIC_SEQ_CST);
}

int VirtualLapic::deliverable_slow() const {
    if (!globally_enabled() || !software_enabled()) return -1;
    int v = highest(irr_);
    if (v < 0 || (static_cast<u32>(v) & 0xf0) <= (ppr() & 0xf0)) return -1;
    return v;
}

void VirtualLapic::acknowledge(u8 vector) {
    unsigned w = vector / 32;
    if (__atomic_and_fetch(&irr_[w], ~(1u << (vector % 32)), __ATOMIC_SEQ_CST) == 0) {
        __atomic_and_fetch(&irr_summary_, ~(1u << w), __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&irr_[w], __ATOMIC_SEQ_CST)) __atomic_or_fetch(&irr_summary_, 1u << w, __ATOMIC_SEQ_CST);
    }
    isr_[w] |= 1u << (vector % 32);
}

void VirtualLapic::eoi() {
    int v = highest(isr_);
    if (v >= 0) isr_[v / 32] &= ~(1u << (v % 32));
}

u64 VirtualLapic::timer_period() const {
    u32 d = ((timer_divide_ & 8) >> 1) | (timer_divide_ & 3);
    u64 divisor = d == 7 ? 1 : u64(2) << d;
    u64 period = u64(timer_initial_) * divisor;
    return timer_mode() == TimerMode::periodic && period < min_period_ ? min_period_ : period;
}

void VirtualLapic::timer_arm(u64 now) {
    timer_start_ = now;
    timer_deadline_ = timer_initial_ ? now + timer_period() : 0;
}

bool VirtualLapic::timer_check(u64 now) {
    if (!timer_deadline_ || now < timer_deadline_) return false;
    if (!(lvt_timer_ & kLvtMask)) accept(static_cast<u8>(lvt_timer_ & 0xff));
    switch (timer_mode()) {
    case TimerMode::periodic: {
        u64 period = timer_period();
        // The next period boundary after now: missed periods coalesce into one interrupt.
        timer_deadline_ = timer_start_ + ((now - timer_start_) / period + 1) * period;
        break;
    }
    case TimerMode::tsc_deadline:
        tsc_deadline_ = 0;
        timer_deadline_ = 0;
        break;
    default: timer_deadline_ = 0; break;
    }
    return true;
}

void VirtualLapic::write_tsc_deadline(u64 value, u64 now) {
    if (timer_mode() != TimerMode::tsc_deadline) return; // ignored in the other modes
    tsc_deadline_ = value;
    timer_deadline_ = value;
    timer_check(now);
}

bool VirtualLapic::accepts_destination(bool logical, u32 destination) const {
    if (x2apic()) {
        if (destination == 0xffffffff) return true;
        if (!logical) return destination == id_;
        u32 ldr = ((id_ >> 4) << 16) | (1u << (id_ & 0xf));
        return (destination >> 16) == (ldr >> 16) && (destination & ldr & 0xffff) != 0;
    }
    destination &= 0xff;
    if (destination == 0xff) return true;
    if (!logical) return destination == (id_ & 0xff);
    u32 logical_id = ldr_ >> 24;
    if ((dfr_ >> 28) == 0xf) return (logical_id & destination) != 0;                         // flat model
    return (logical_id >> 4) == (destination >> 4) && (logical_id & destination & 0xf) != 0; // cluster model
}

void VirtualLapic::decode_icr(u64 icr, IpiRequest& ipi) const {
    constexpr IpiRequest::Mode kModes[8] = {IpiRequest::Mode::fixed,   IpiRequest::Mode::lowest_priority,
                                            IpiRequest::Mode::smi,     IpiRequest::Mode::reserved,
                                            IpiRequest::Mode::nmi,     IpiRequest::Mode::init,
                                            IpiRequest::Mode::startup, IpiRequest::Mode::reserved};
    ipi.vector = static_cast<u8>(icr & 0xff);
    ipi.mode = kModes[(icr >> 8) & 7];
    ipi.logical = (icr >> 11) & 1;
    ipi.shorthand = static_cast<IpiRequest::Shorthand>((icr >> 18) & 3);
    ipi.destination = x2apic() ? static_cast<u32>(icr >> 32) : static_cast<u32>(icr >> 56);
    // INIT level de-assert (level 0, trigger level) only synchronises arbitration IDs: nothing to send.
    if (ipi.mode == IpiRequest::Mode::init && !((icr >> 14) & 1) && ((icr >> 15) & 1))
        ipi.mode = IpiRequest::Mode::none;
}

VirtualLapic::Access VirtualLapic::read(u32 offset, u64 now, u64& value) const {
    bool x2 = x2apic();
    value = 0;
    if (offset & 0xf) return Access::invalid;
    if (in_bank(offset, kLapicIsr)) {
        value = isr_[(offset - kLapicIsr) / 16];
        return Access::ok;
    }
    if (in_bank(offset, kLapicTmr)) {
        value = tmr_[(offset - kLapicTmr) / 16];
        return Access::ok;
    }
    if (in_bank(offset, kLapicIrr)) {
        value = read_irr_word((offset - kLapicIrr) / 16);
        return Access::ok;
    }
    switch (offset) {
    case kLapicId: value = x2 ? id_ : id_ << 24; return Access::ok;
    case kLapicVersion: value = kVersion; return Access::ok;
    case kLapicTpr: value = tpr_; return Access::ok;
    case kLapicPpr: value = ppr(); return Access::ok;
    case kLapicLdr: value = x2 ? ((id_ >> 4) << 16) | (1u << (id_ & 0xf)) : ldr_; return Access::ok;
    case kLapicSvr: value = svr_; return Access::ok;
    case kLapicEsr: value = esr_; return Access::ok;
    case kLapicIcrLow:
        value = x2 ? (u64(icr_high_) << 32) | icr_low_ : icr_low_ & ~kIcrDeliveryStatus; // always delivered
        return Access::ok;
    case kLapicLvtTimer: value = lvt_timer_; return Access::ok;
    case kLapicLvtThermal: value = lvt_thermal_; return Access::ok;
    case kLapicLvtPerf: value = lvt_perf_; return Access::ok;
    case kLapicLvtLint0: value = lvt_lint0_; return Access::ok;
    case kLapicLvtLint1: value = lvt_lint1_; return Access::ok;
    case kLapicLvtError: value = lvt_error_; return Access::ok;
    case kLapicTimerInitial: value = timer_initial_; return Access::ok;
    case kLapicTimerDivide: value = timer_divide_; return Access::ok;
    case kLapicTimerCurrent: {
        if (!timer_deadline_ || timer_mode() == TimerMode::tsc_deadline || !timer_initial_) return Access::ok;
        u64 period = timer_period(), elapsed = now - timer_start_;
        u64 left = timer_mode() == TimerMode::periodic ? period - elapsed % period
                                                       : (now < timer_deadline_ ? timer_deadline_ - now : 0);
        value = left * timer_initial_ / period; // back in timer counts
        return Access::ok;
    }
    // xAPIC-only registers; reads of write-only registers return 0 there.
    case kLapicApr:
    case kLapicDfr:
    case kLapicIcrHigh:
        if (x2) return Access::invalid;
        value = offset == kLapicDfr ? dfr_ : offset == kLapicIcrHigh ? icr_high_ : 0;
        return Access::ok;
    case kLapicEoi:
    case kLapicRrd: return x2 ? Access::invalid : Access::ok;
    default: return Access::invalid; // reserved, CMCI, self IPI (write-only)
    }
}

bool VirtualLapic::write_lvt(u32 offset, u32 value) {
    if (!software_enabled()) value |= kLvtMask; // a software-disabled APIC keeps every LVT masked
    switch (offset) {
    case kLapicLvtTimer: lvt_timer_ = value & kLvtTimerBits; return true;
    case kLapicLvtThermal: lvt_thermal_ = value & kLvtOtherBits; return true;
    case kLapicLvtPerf: lvt_perf_ = value & kLvtOtherBits; return true;
    case kLapicLvtLint0: lvt_lint0_ = value & kLvtLintBits; return true;
    case kLapicLvtLint1: lvt_lint1_ = value & kLvtLintBits; return true;
    case kLapicLvtError: lvt_error_ = value & kLvtErrorBits; return true;
    default: return false;
    }
}

VirtualLapic::Access VirtualLapic::write(u32 offset, u64 value, u64 now, IpiRequest& ipi) {
    bool x2 = x2apic();
    ipi = IpiRequest{};
    u32 v = static_cast<u32>(value);
    if (offset & 0xf) return Access::invalid;
    switch (offset) {
    case kLapicTpr: tpr_ = v & 0xff; return Access::ok;
    case kLapicEoi:
        if (x2 && value) return Access::invalid;
        eoi();
        return Access::ok;
    case kLapicSvr:
        svr_ = v & 0x11ff; // vector, APIC enable, EOI-broadcast suppression
        if (!software_enabled()) {
            for (u32 o = kLapicLvtTimer; o <= kLapicLvtError; o += 0x10) {
                u64 cur = 0;
                read(o, now, cur);
                write_lvt(o, static_cast<u32>(cur));
            }
        }
        return Access::ok;
    case kLapicEsr:
        if (x2 && value) return Access::invalid;
        esr_ = __atomic_exchange_n(&esr_pending_, 0u, __ATOMIC_RELAXED);
        return Access::ok;
    case kLapicIcrLow:
        if (x2) {
            icr_high_ = static_cast<u32>(value >> 32);
            icr_low_ = v & ~kIcrDeliveryStatus;
            decode_icr(value, ipi);
        } else {
            icr_low_ = v & ~kIcrDeliveryStatus;
            decode_icr((u64(icr_high_) << 32) | icr_low_, ipi);
        }
        if ((ipi.mode == IpiRequest::Mode::fixed || ipi.mode == IpiRequest::Mode::lowest_priority) && ipi.vector < 16) {
            esr_pending_ |= kEsrIllegalVectorSent;
            ipi.mode = IpiRequest::Mode::none;
        }
        return Access::ok;
    case kLapicLvtTimer: {
        TimerMode old = timer_mode();
        timer_check(now); // an expiry before the change belongs to the old setting
        write_lvt(offset, v);
        if (timer_mode() != old) { // a mode change disarms the timer
            timer_deadline_ = 0;
            tsc_deadline_ = 0;
            timer_initial_ = 0;
        }
        return Access::ok;
    }
    case kLapicLvtThermal:
    case kLapicLvtPerf:
    case kLapicLvtLint0:
    case kLapicLvtLint1:
    case kLapicLvtError: write_lvt(offset, v); return Access::ok;
    case kLapicTimerInitial:
        if (timer_mode() == TimerMode::tsc_deadline) return Access::ok; // ignored in that mode
        timer_initial_ = v;
        timer_arm(now);
        return Access::ok;
    case kLapicTimerDivide: timer_divide_ = v & 0xb; return Access::ok;
    case kLapicSelfIpi:
        if (!x2) return Access::invalid;
        accept(static_cast<u8>(v & 0xff));
        return Access::ok;
    // Read-only in x2APIC mode; in xAPIC mode these are kept as the guest writes them.
    case kLapicLdr:
        if (x2) return Access::invalid;
        ldr_ = v & 0xff000000u;
        return Access::ok;
    case kLapicDfr:
        if (x2) return Access::invalid;
        dfr_ = v | 0x0fffffffu;
        return Access::ok;
    case kLapicIcrHigh:
        if (x2) return Access::invalid;
        icr_high_ = v & 0xff000000u;
        return Access::ok;
    case kLapicId: // the ID is fixed: CPUID and the zone's topology report it
        return x2 ? Access::invalid : Access::ok;
    default:
        // Read-only or reserved: #GP in x2APIC mode, dropped in xAPIC mode.
        return x2 ? Access::invalid : Access::ok;
    }
}

} // namespace bh::x86_64
