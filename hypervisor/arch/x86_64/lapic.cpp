// SPDX-License-Identifier: GPL-2.0-only
// Intel SDM vol. 3 chapter 11; x2APIC register n is MSR 0x800 + n / 16.
#include "lapic.hpp"

#include "asm_defs.h"

#include <arch/x86.hpp>

namespace bh::x86_64 {
namespace {

enum : u32 {
    kRegId = 0x20,
    kRegEoi = 0xb0,
    kRegSvr = 0xf0,
    kRegIcrLow = 0x300,
    kRegIcrHigh = 0x310,
    kRegLvtTimer = 0x320,
    kRegLvtLint0 = 0x350,
    kRegLvtLint1 = 0x360,
    kRegLvtError = 0x370,
    kRegTimerInitial = 0x380,
    kRegTimerCurrent = 0x390,
    kRegTimerDivide = 0x3e0,
};
constexpr u32 kSvrEnable = 1u << 8;
constexpr u32 kLvtMasked = 1u << 16;
constexpr u32 kLvtTscDeadline = 2u << 17;
constexpr u32 kIcrInit = 5u << 8, kIcrStartup = 6u << 8, kIcrLevelAssert = 1u << 14, kIcrPending = 1u << 12;
constexpr u64 kApicBaseEnable = 1u << 11, kApicBaseX2 = 1u << 10;

bool x2 = false;
u64 base = 0xfee00000;

u32 read(u32 reg) { return x2 ? static_cast<u32>(x86::rdmsr(0x800 + reg / 16)) : x86::mmio_read<u32>(base + reg); }
void write(u32 reg, u32 v) {
    if (x2)
        x86::wrmsr(0x800 + reg / 16, v);
    else
        x86::mmio_write<u32>(base + reg, v);
}

void send_icr(u32 apic_id, u32 low) {
    if (x2) {
        x86::wrmsr(0x800 + kRegIcrLow / 16, (u64(apic_id) << 32) | low);
        return;
    }
    x86::mmio_write<u32>(base + kRegIcrHigh, apic_id << 24);
    x86::mmio_write<u32>(base + kRegIcrLow, low);
    while (x86::mmio_read<u32>(base + kRegIcrLow) & kIcrPending) asm volatile("pause");
}

} // namespace

void lapic_setup(u64 mmio_base) {
    // The legacy 8259 PICs would deliver the firmware's timer tick at vector
    // 8 (as if a double fault): mask every line. Nothing here uses them.
    x86::outb(0x21, 0xff);
    x86::outb(0xa1, 0xff);
    base = mmio_base;
    x2 = (x86::cpuid(1).ecx >> 21) & 1;
}

bool lapic_x2apic() { return x2; }

void lapic_init_cpu(bool tsc_deadline) {
    u64 ab = x86::rdmsr(x86::kMsrApicBase) | kApicBaseEnable;
    if (x2) ab |= kApicBaseX2;
    x86::wrmsr(x86::kMsrApicBase, ab);
    write(kRegSvr, kSvrEnable | BH_VECTOR_SPURIOUS);
    write(kRegLvtLint0, kLvtMasked);
    write(kRegLvtLint1, kLvtMasked);
    write(kRegLvtError, kLvtMasked);
    write(kRegTimerDivide, 0xb); // divide by 1
    write(kRegLvtTimer, BH_VECTOR_TIMER | (tsc_deadline ? kLvtTscDeadline : 0));
    // The TSC-deadline write must follow the LVT switch (SDM 11.5.4.1).
    asm volatile("mfence" ::: "memory");
}

u32 lapic_id() { return x2 ? read(kRegId) : read(kRegId) >> 24; }
void lapic_eoi() { write(kRegEoi, 0); }
void lapic_send_fixed(u32 apic_id, u8 vector) { send_icr(apic_id, vector); }
void lapic_send_init(u32 apic_id) { send_icr(apic_id, kIcrInit | kIcrLevelAssert); }
void lapic_send_startup(u32 apic_id, u8 page) { send_icr(apic_id, kIcrStartup | kIcrLevelAssert | page); }
void lapic_timer_start(u32 count) { write(kRegTimerInitial, count); }
u32 lapic_timer_current() { return read(kRegTimerCurrent); }

} // namespace bh::x86_64
