// SPDX-License-Identifier: GPL-2.0-only
#include <guest/cpu.hpp>
#include <guest/lapic.hpp>

namespace bh::lapic {
namespace {

volatile bool x2 = false;

} // namespace

void init(bool x2apic_mode) {
    u64 base = rdmsr(kMsrApicBase);
    if (x2apic_mode) wrmsr(kMsrApicBase, base | kBaseEnable | kBaseExtd);
    x2 = x2apic_mode;
    write(kSvr, (1u << 8) | kSpuriousVector);
}

bool x2apic() { return x2; }

u64 read(Reg r) {
    if (x2) return rdmsr(0x800 + r / 16);
    return *reinterpret_cast<volatile u32*>(kMmioBase + r);
}

void write(Reg r, u64 v) {
    if (x2) {
        wrmsr(0x800 + r / 16, v);
        return;
    }
    if (r == kIcr) { // the destination goes to ICR high first; the low write sends
        *reinterpret_cast<volatile u32*>(kMmioBase + kIcrHigh) = static_cast<u32>(v >> 32) << 24;
    }
    *reinterpret_cast<volatile u32*>(kMmioBase + r) = static_cast<u32>(v);
}

void send_ipi(u32 id, u8 vector) { write(kIcr, (u64(id) << 32) | vector); }

void eoi() { write(kEoi, 0); }

u64 timer_frequency() {
    u32 khz = cpuid(0x40000010).ebx;
    return u64(khz) * 1000;
}

} // namespace bh::lapic
