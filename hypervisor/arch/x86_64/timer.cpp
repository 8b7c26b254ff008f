// SPDX-License-Identifier: GPL-2.0-only
#include "timer.hpp"

#include "lapic.hpp"
#include "pit_calibration.hpp"

#include <arch/x86.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/percpu.hpp>

namespace bh::x86_64 {
namespace {

u64 tsc_hz = 1'000'000'000; // replaced by timer_calibrate()
u64 apic_hz = 0;            // APIC timer ticks per second (one-shot mode only)
bool deadline_mode = false;
const char* source = "uncalibrated";

void program(arch::CpuContext& c);

constexpr unsigned kCalibrationTries = 10;

bool pit_out2() { return x86::inb(0x61) & 0x20; }

PitReading pit_read() {
    PitReading r;
    r.tsc_before = x86::rdtsc();
    x86::outb(0x43, 0x80); // latch channel 2's count
    const u8 lo = x86::inb(0x42);
    const u8 hi = x86::inb(0x42);
    r.apic = lapic_timer_current();
    r.tsc_after = x86::rdtsc();
    r.count = static_cast<u16>(lo | (hi << 8));
    return r;
}

// One measurement: PIT channel 2 in mode 0, gated through port 0x61 (the
// speaker gate, with the speaker itself off), read at the start and again
// once it has counted kPitWantTicks (or reached terminal count, which
// raises OUT2: port 0x61 bit 5; the loop ends there at the latest).
Calibration pit_measure(bool held_up) {
    x86::outb(0x61, static_cast<u8>((x86::inb(0x61) & ~0x02) | 0x01));
    x86::outb(0x43, 0xb0); // channel 2, lobyte/hibyte, mode 0, binary
    x86::outb(0x42, kPitStartCount & 0xff);
    x86::outb(0x42, static_cast<u8>(kPitStartCount >> 8));
    lapic_timer_start(0xffffffff);
    if (held_up)
        while (!pit_out2()) asm volatile("pause");
    const PitReading a = pit_read();
    PitReading b = a;
    while (!pit_out2()) {
        b = pit_read();
        if (b.count <= a.count && a.count - b.count >= kPitWantTicks) break;
        asm volatile("pause");
    }
    const bool expired = pit_out2();
    lapic_timer_start(0);
    return judge_pit_measurement(a, b, expired);
}

} // namespace

void timer_calibrate(bool held_up_once) {
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
    // The first precise measurement, or else the last usable one.
    Calibration m;
    unsigned tries = 0;
    while (!m.precise && tries < kCalibrationTries) {
        Calibration next = pit_measure(held_up_once && tries == 0);
        if (next.tsc_hz) m = next;
        ++tries;
    }
    if (tries > 1)
        log("timer: %s PIT measurement after %u tries (the CPU was held up during the others)",
            m.precise  ? "a precise"
            : m.tsc_hz ? "only an imprecise"
                       : "no",
            tries);
    if (!m.tsc_hz) {
        // The rate stays the CPUID's, or the placeholder: timers and zones'
        // clocks run at the wrong speed, and the log above says why.
        if (!apic_hz) apic_hz = 1;
        return;
    }
    if (source[0] != 'C') {
        tsc_hz = m.tsc_hz;
        source = "the PIT";
    }
    apic_hz = m.apic_hz ? m.apic_hz : 1;
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
