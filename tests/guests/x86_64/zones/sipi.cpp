// SPDX-License-Identifier: GPL-2.0-only
// Starting a vCPU the way an unmodified x86 OS does: INIT, then STARTUP
// IPIs through the local APIC's ICR. The zone has RAM from 0, so the
// STARTUP vector can point below 1 MiB; the new vCPU starts in real mode
// there, climbs to long mode through the trampoline and reports. A STARTUP
// without INIT, and one after the vCPU runs, change nothing.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/irq.hpp>
#include <guest/lapic.hpp>
#include <guest/smp.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>

using namespace bh;
using ull = unsigned long long;

extern "C" {
extern char sipi_trampoline[], sipi_trampoline_end[], sipi_cr3[], sipi_efer[], sipi_entry64[], sipi_stack_top[];
}

namespace {

constexpr u64 kTrampoline = 0x8000; // as sipi_trampoline.S assembles it
constexpr u8 kStartupVector = kTrampoline >> 12;
constexpr u8 kPing = 0x50, kPong = 0x51;
constexpr u32 kIcrInit = (5u << 8) | (1u << 14), kIcrStartup = 6u << 8;

volatile u32 secondary_up, pongs, secondary_starts;
volatile u64 secondary_apic_id;

void secondary(u64) {
    secondary_starts = secondary_starts + 1;
    lapic::init(true);
    secondary_apic_id = lapic::read(lapic::kId);
    irq::set_handler(kPing, [](u32) { lapic::send_ipi(0, kPong); });
    asm volatile("sti" ::: "memory");
    dmb();
    secondary_up = 1;
    for (;;) asm volatile("hlt");
}

template <class T>
void put(char* field, T v) {
    __builtin_memcpy(reinterpret_cast<char*>(kTrampoline) + (field - sipi_trampoline), &v, sizeof v);
}

bool wait_for(volatile u32& v, u32 value, u64 ms) {
    u64 end = timer::counter() + timer::ms_to_ticks(ms);
    while (v < value)
        if (timer::counter() >= end) return false;
    return true;
}

void send(u32 icr) { lapic::write(lapic::kIcr, (u64(1) << 32) | icr); } // to APIC ID 1

} // namespace

extern "C" void zone_main(u64) {
    test::begin("sipi");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    lapic::init(true);
    irq::set_handler(kPong, [](u32) { pongs = pongs + 1; });
    asm volatile("sti" ::: "memory");

    // The trampoline below 1 MiB, told where to go.
    u64 size = static_cast<u64>(sipi_trampoline_end - sipi_trampoline);
    __builtin_memcpy(reinterpret_cast<char*>(kTrampoline), sipi_trampoline, size);
    u64 cr3, efer = rdmsr(0xc0000080);
    asm volatile("mov %%cr3, %0" : "=r"(cr3));
    put(sipi_cr3, cr3);
    put(sipi_efer, efer & 0xffffffff);
    put(sipi_entry64, smp::secondary_entry());
    put(sipi_stack_top, smp::prepare(1, secondary, 0));

    send(kIcrStartup | kStartupVector); // no INIT first: ignored
    test::check(!wait_for(secondary_up, 1, 50), "a STARTUP without INIT started vCPU 1");
    send(kIcrInit);
    send((5u << 8) | (1u << 15)); // INIT level de-assert, as OSes send it
    send(kIcrStartup | kStartupVector);
    send(kIcrStartup | kStartupVector); // the customary second STARTUP: ignored, vCPU 1 runs
    if (!test::check(wait_for(secondary_up, 1, 2000), "vCPU 1 did not come up after INIT-SIPI-SIPI")) test::finish();
    BH_EXPECT_EQ(secondary_apic_id, 1ull);
    timer::delay_ms(20);
    BH_EXPECT_EQ(secondary_starts, 1u);
    for (u32 i = 0; i < 20; ++i) {
        lapic::send_ipi(1, kPing);
        if (!test::check(wait_for(pongs, i + 1, 500), "no IPI back from vCPU 1")) break;
    }
    print("vCPU 1 started by INIT-SIPI-SIPI in real mode at 0x%llx, reached long mode, answered %u IPIs\n",
          static_cast<ull>(kTrampoline), pongs);
    test::finish();
}
