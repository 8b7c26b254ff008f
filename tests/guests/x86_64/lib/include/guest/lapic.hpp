// SPDX-License-Identifier: GPL-2.0-only
// The zone's local APIC, in x2APIC mode (MSRs) or xAPIC mode (the page at
// 0xFEE00000). A test zone picks one mode for all its vCPUs.
#pragma once

#include <guest/types.hpp>

namespace bh::lapic {

inline constexpr u64 kMmioBase = 0xfee00000;
inline constexpr u8 kSpuriousVector = 0xff;

enum Reg : u32 {
    kId = 0x20,
    kVersion = 0x30,
    kTpr = 0x80,
    kPpr = 0xa0,
    kEoi = 0xb0,
    kLdr = 0xd0,
    kSvr = 0xf0,
    kIsr = 0x100,
    kIrr = 0x200,
    kEsr = 0x280,
    kIcr = 0x300,
    kIcrHigh = 0x310,
    kLvtTimer = 0x320,
    kLvtError = 0x370,
    kTimerInitial = 0x380,
    kTimerCurrent = 0x390,
    kTimerDivide = 0x3e0,
    kSelfIpi = 0x3f0,
};

inline constexpr u32 kMsrApicBase = 0x1b, kMsrTscDeadline = 0x6e0;
inline constexpr u64 kBaseEnable = 1u << 11, kBaseExtd = 1u << 10, kBaseBsp = 1u << 8;

// On the calling vCPU: switches to x2APIC mode (or stays in xAPIC mode) and
// software-enables the APIC with the spurious vector.
void init(bool x2apic);
bool x2apic();

u64 read(Reg r);          // x2APIC: RDMSR 0x800 + r/16; xAPIC: a 32-bit load
void write(Reg r, u64 v); // ICR in x2APIC mode takes the destination in bits 63:32

// A fixed IPI to the vCPU with APIC ID `id` (its vCPU index).
void send_ipi(u32 id, u8 vector);
void eoi();

// The APIC timer's input clock (CPUID 0x40000010 EBX, kHz), in Hz.
u64 timer_frequency();

} // namespace bh::lapic
