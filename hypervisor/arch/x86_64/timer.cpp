// SPDX-License-Identifier: GPL-2.0-only
#include "timer.hpp"

#include "lapic.hpp"

#include <arch/x86.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/percpu.hpp>

namespace bh::x86_64 {
namespace {

u64 tsc_hz = 1'000'000'000; // replaced by timer_calibrate()
u64 apic_hz = 0;            // APIC timer ticks per second (one-shot mode only)
bool deadline_mode = false;
const char* source = "uncalibrated";

void program(arch::CpuContext& c);

constexpr u32 kPitHz = 1193182;
constexpr u32 kCalibrationMs = 20;

// PIT channel 2 in mode 0, gated through port 0x61 (the speaker gate, with
// the speaker itself off): OUT2 (port 0x61 bit 5) rises at terminal count.
void pit_measure(u64& tsc_ticks, u64& apic_ticks) {
    constexpr u32 latch = kPitHz * kCalibrationMs / 1000;
    x86::outb(0x61, static_cast<u8>((x86::inb(0x61) & ~0x02) | 0x01));
    x86::outb(0x43, 0xb0); // channel 2, lobyte/hibyte, mode 0, binary
    x86::outb(0x42, latch & 0xff);
    x86::outb(0x42, static_cast<u8>(latch >> 8));
    lapic_timer_start(0xffffffff);
    u64 t0 = x86::rdtsc();
    while (!(x86::inb(0x61) & 0x20)) asm volatile("pause");
    u64 t1 = x86::rdtsc();
    apic_ticks = 0xffffffffu - lapic_timer_current();
    lapic_timer_start(0);
    tsc_ticks = t1 - t0;
}

} // namespace

void timer_calibrate() {
    deadline_mode = (x86::cpuid(1).ecx >> 24) & 1;
    lapic_init_cpu(false); // one-shot while measuring the APIC timer
    x86::CpuidResult max = x86::cpuid(0);
    if (max.eax >= 0x15) {
        x86::CpuidResult c = x86::cpuid(0x15);
        if (c.eax && c.ebx && c.ecx) {
            tsc_hz = u64(c.ecx) * c.ebx / c.eax;
            source = "CPUID 0x15";
        }
    }
    u64 tsc_ticks = 0, apic_ticks = 0;
    pit_measure(tsc_ticks, apic_ticks);
    if (source[0] != 'C') {
        tsc_hz = tsc_ticks * 1000 / kCalibrationMs;
        source = "the PIT";
    }
    apic_hz = apic_ticks * 1000 / kCalibrationMs;
    if (!apic_hz) apic_hz = 1;
}

bool timer_tsc_deadline() { return deadline_mode; }
const char* timer_source() { return source; }

void udelay(u64 us) {
    u64 end = x86::rdtsc() + tsc_hz / 1'000'000 * us;
    while (x86::rdtsc() < end) asm volatile("pause");
}

void timer_fired() {
    arch::CpuContext& c = arch::this_cpu().arch;
    // The scheduler re-arms at its decision after this interrupt, and
    // reprogramming then includes the loaded vCPU's deadline, still noted.
    c.timer_programmed = c.timer_for_scheduler = 0;
}

void timer_set_guest_deadline(u64 deadline) {
    arch::CpuContext& c = arch::this_cpu().arch;
    if (c.timer_for_guest == deadline) return;
    c.timer_for_guest = deadline;
    program(c);
}
u64 timer_deadline() { return arch::this_cpu().arch.timer_programmed; }

} // namespace bh::x86_64

namespace bh::arch {

u64 now() { return x86::rdtsc(); }
u64 ticks_per_second() { return x86_64::tsc_hz; }

void set_timer(u64 deadline) {
    CpuContext& c = this_cpu().arch;
    c.timer_for_scheduler = deadline;
    x86_64::program(c);
}

} // namespace bh::arch

namespace bh::x86_64 {
namespace {

// The hardware timer fires at the earlier of the scheduler's and the
// running vCPU's deadlines.
void program(arch::CpuContext& c) {
    u64 deadline = c.timer_for_scheduler;
    if (u64 g = c.timer_for_guest; g && (deadline == 0 || g < deadline)) deadline = g;
    if (c.timer_programmed == deadline) return; // what the hardware already has
    c.timer_programmed = deadline;
    if (deadline_mode) {
        x86::wrmsr(x86::kMsrTscDeadline, deadline); // 0 disarms
        return;
    }
    if (deadline == 0) {
        lapic_timer_start(0);
        return;
    }
    u64 t = x86::rdtsc();
    u64 delta = deadline > t ? deadline - t : 1;
    // TSC ticks to APIC ticks, without overflowing for deltas up to hours.
    u64 count = delta / (tsc_hz / 1000) * apic_hz / 1000 + (delta % (tsc_hz / 1000)) * apic_hz / tsc_hz;
    if (count == 0) count = 1;
    if (count > 0xffffffffu) count = 0xffffffffu;
    lapic_timer_start(static_cast<u32>(count));
}

} // namespace
} // namespace bh::x86_64
