// SPDX-License-Identifier: GPL-2.0-only
// A zone vCPU's local APIC, as software: the registers a guest kernel uses
// (ID, TPR/PPR, EOI, LDR/DFR, SVR, ISR/TMR/IRR, ESR, ICR, the LVT and the
// timer), in xAPIC form (the 4 KiB page at 0xFEE00000) and in x2APIC form
// (MSRs 0x800-0x8FF), plus IA32_APIC_BASE and IA32_TSC_DEADLINE.
//
// Pure: time comes in as `now` in TSC ticks, and the timer counts at the
// TSC's rate divided by the divide configuration, which is the rate zones
// are told in CPUID 0x40000010 EBX. Sending an IPI only describes it
// (IpiRequest); the caller finds the targets and wakes them.
//
// Concurrency: accept() may run on any CPU (it only sets an IRR bit
// atomically); everything else runs on the vCPU's own home CPU.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::x86_64 {

// xAPIC register offsets (SDM vol. 3 table 11-1). x2APIC MSR = 0x800 + offset / 16.
enum LapicReg : u32 {
    kLapicId = 0x20,
    kLapicVersion = 0x30,
    kLapicTpr = 0x80,
    kLapicApr = 0x90,
    kLapicPpr = 0xa0,
    kLapicEoi = 0xb0,
    kLapicRrd = 0xc0,
    kLapicLdr = 0xd0,
    kLapicDfr = 0xe0,
    kLapicSvr = 0xf0,
    kLapicIsr = 0x100,
    kLapicTmr = 0x180,
    kLapicIrr = 0x200,
    kLapicEsr = 0x280,
    kLapicLvtCmci = 0x2f0,
    kLapicIcrLow = 0x300,
    kLapicIcrHigh = 0x310,
    kLapicLvtTimer = 0x320,
    kLapicLvtThermal = 0x330,
    kLapicLvtPerf = 0x340,
    kLapicLvtLint0 = 0x350,
    kLapicLvtLint1 = 0x360,
    kLapicLvtError = 0x370,
    kLapicTimerInitial = 0x380,
    kLapicTimerCurrent = 0x390,
    kLapicTimerDivide = 0x3e0,
    kLapicSelfIpi = 0x3f0,
};

inline constexpr u64 kLapicMmioBase = 0xfee00000;
inline constexpr u32 kX2apicMsrFirst = 0x800, kX2apicMsrLast = 0x8ff;
static_assert(kX2apicMsrFirst + kLapicIcrLow / 16 == 0x830 && kX2apicMsrFirst + kLapicSelfIpi / 16 == 0x83f &&
                  kX2apicMsrFirst + kLapicTimerDivide / 16 == 0x83e,
              "x2APIC MSR = 0x800 + xAPIC offset / 16 (SDM vol. 3 table 11-6)");
inline constexpr u64 kApicBaseBsp = 1u << 8, kApicBaseExtd = 1u << 10, kApicBaseEnable = 1u << 11;

// What an ICR write asks for.
struct IpiRequest {
    enum class Mode : u8 { none, fixed, lowest_priority, smi, nmi, init, startup, reserved };
    enum class Shorthand : u8 { none, self, all_including_self, all_excluding_self };
    Mode mode = Mode::none;
    Shorthand shorthand = Shorthand::none;
    bool logical = false;
    u8 vector = 0;
    u32 destination = 0; // x2APIC: 32 bits; xAPIC: ICR bits 63:56
};

class VirtualLapic {
  public:
    enum class Access : u8 { ok, invalid };

    // min_period: the shortest period a periodic timer gets, in counter
    // ticks (a guest asking for less gets this: a one-tick period would
    // otherwise leave no time between interrupts to run anything).
    void reset(u32 id, bool bsp, u64 min_period = 0);

    u32 id() const { return id_; }
    bool x2apic() const { return (apic_base_ & kApicBaseExtd) != 0; }
    bool globally_enabled() const { return (apic_base_ & kApicBaseEnable) != 0; }
    bool software_enabled() const { return (svr_ & kSvrEnable) != 0; }
    // The xAPIC page answers only in xAPIC mode with the APIC enabled.
    bool mmio_active() const { return globally_enabled() && !x2apic(); }

    u64 apic_base() const { return apic_base_; }
    // IA32_APIC_BASE writes: the architectural mode transitions (xAPIC <->
    // x2APIC only through their legal paths), the base fixed at 0xFEE00000.
    // False: the write is invalid (the caller raises #GP).
    bool write_apic_base(u64 value);

    // Register access by xAPIC offset. In x2APIC mode ICR is one 64-bit
    // register at 0x300 and reserved or write-only registers are invalid
    // (#GP); in xAPIC mode invalid accesses read 0 and writes are dropped.
    Access read(u32 offset, u64 now, u64& value) const;
    Access write(u32 offset, u64 value, u64 now, IpiRequest& ipi);

    // Does an IPI addressed this way reach this APIC (shorthands aside)?
    bool accepts_destination(bool logical, u32 destination) const;

    // An interrupt arrived for `vector` (from any CPU). Vectors 0-15 are
    // illegal as interrupts: recorded in the ESR instead.
    void accept(u8 vector);
    // The highest requested vector the vCPU may take now (above the
    // processor priority, APIC software-enabled), or -1. Checked before
    // every entry, so the common case (nothing requested) is one load.
    int deliverable() const { return __atomic_load_n(&irr_summary_, __ATOMIC_ACQUIRE) ? deliverable_slow() : -1; }
    // The vCPU took `vector`: IRR -> ISR.
    void acknowledge(u8 vector);
    // Any request at all.
    bool has_request() const { return __atomic_load_n(&irr_summary_, __ATOMIC_ACQUIRE) != 0; }
    // A requested interrupt that only the task priority holds back (its
    // class is above the in-service one but not above TPR's): lowering TPR
    // or CR8 would make it deliverable.
    bool held_by_tpr() const;

    // CR8, the 64-bit view of the task priority: CR8 = TPR[7:4]; writing
    // it sets TPR[7:4] and clears TPR[3:0] (SDM vol. 3 10.8.6.1). Only the
    // low 4 bits are taken (the caller refuses the reserved ones).
    u8 cr8() const { return static_cast<u8>((tpr_ >> 4) & 0xf); }
    void write_cr8(u64 value) { tpr_ = static_cast<u32>(value & 0xf) << 4; }

    // The counter value at which the timer interrupt comes next, 0 if none
    // (not armed, or masked: then nobody needs waking for it).
    u64 timer_deadline() const { return (lvt_timer_ & kLvtMask) ? 0 : timer_deadline_; }
    // Fires the timer if its deadline has passed: requests the LVT vector
    // unless masked, re-arms a periodic timer. True if it fired.
    bool timer_check(u64 now);
    // Whether timer_check has anything to look at (masked or not).
    bool timer_armed() const { return timer_deadline_ != 0; }
    u64 tsc_deadline() const { return tsc_deadline_; }
    void write_tsc_deadline(u64 value, u64 now);

    u32 error_status() const { return esr_pending_; }

  private:
    static constexpr u32 kSvrEnable = 1u << 8;
    static constexpr u32 kLvtMask = 1u << 16;
    enum class TimerMode : u8 { one_shot = 0, periodic = 1, tsc_deadline = 2 };

    int deliverable_slow() const;
    u32 ppr() const;
    u32 isr_class() const;
    int highest(const u32 (&bits)[8]) const;
    u64 timer_period() const;
    TimerMode timer_mode() const { return static_cast<TimerMode>((lvt_timer_ >> 17) & 3); }
    void timer_arm(u64 now);
    u32 read_irr_word(unsigned i) const { return __atomic_load_n(&irr_[i], __ATOMIC_ACQUIRE); }
    void eoi();
    bool write_lvt(u32 offset, u32 value);
    void decode_icr(u64 icr, IpiRequest& ipi) const;

    u64 apic_base_ = 0;
    u32 id_ = 0;
    u32 tpr_ = 0;
    u32 ldr_ = 0;
    u32 dfr_ = 0xffffffff;
    u32 svr_ = 0xff;
    u32 esr_ = 0;         // what the guest reads (latched by an ESR write)
    u32 esr_pending_ = 0; // errors since the last latch
    u32 icr_low_ = 0, icr_high_ = 0;
    u32 lvt_timer_ = kLvtMask, lvt_thermal_ = kLvtMask, lvt_perf_ = kLvtMask, lvt_lint0_ = kLvtMask,
        lvt_lint1_ = kLvtMask, lvt_error_ = kLvtMask, lvt_cmci_ = kLvtMask;
    u32 timer_initial_ = 0;
    u32 timer_divide_ = 0; // the register's value (bits 0, 1, 3)
    u64 timer_start_ = 0;
    u64 min_period_ = 0;
    u64 timer_deadline_ = 0;
    u64 tsc_deadline_ = 0;
    u32 irr_[8] = {};
    u32 irr_summary_ = 0; // bit i: irr_[i] may be non-zero
    u32 isr_[8] = {};
    u32 tmr_[8] = {};
};

} // namespace bh::x86_64
