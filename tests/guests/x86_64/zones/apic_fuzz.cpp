// SPDX-License-Identifier: GPL-2.0-only
// A zone that writes random values into every register of its interrupt
// controllers: the x2APIC MSRs, IA32_APIC_BASE and IA32_TSC_DEADLINE, the
// xAPIC page, and the I/O APIC's redirection table (then makes its 16550
// raise the line those random entries route). Each access either works or
// raises #GP; the hypervisor must neither crash nor let anything out of
// the zone (random IPIs and routed lines reach only its own vCPU; NMI, INIT
// and STARTUP are dropped). Interrupts stay off meanwhile, so the random
// vectors pile up unseen. Afterwards a reset APIC must work normally.
// The seed is the boot argument (test::seed_from).
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/irq.hpp>
#include <guest/lapic.hpp>
#include <guest/probe.hpp>
#include <guest/random.hpp>
#include <guest/testing.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u32 kRounds = 3000;
constexpr u16 kCom1 = 0x3f8;
constexpr u64 kIoApic = 0xfec00000;
constexpr u8 kCheckVector = 0x70;

test::XorShift64 rng;
u64 next() { return rng.next(); }

volatile u32 check_interrupts;

struct Tally {
    u32 ok = 0, gp = 0;
    void add(const probe::Result& r, const char* what, u64 where) {
        if (!r.faulted)
            ++ok;
        else if (r.vector == probe::kVectorGp)
            ++gp;
        else
            test::fail("%s 0x%llx: exception %u, not #GP", what, static_cast<ull>(where), r.vector);
    }
};

void fuzz_msrs(Tally& t) {
    for (u32 i = 0; i < kRounds; ++i) {
        u64 r = next();
        u32 msr = (r & 0xf) == 0 ? 0x1b : (r & 0xf) == 1 ? 0x6e0 : 0x800 + static_cast<u32>((r >> 4) & 0xff);
        if (msr == 0x1b && (r & 0x100)) { // keep the APIC mostly enabled: a random base write now and then
            t.add(probe::wrmsr(msr, next()), "wrmsr", msr);
            continue;
        }
        if (r & 0x10000)
            t.add(probe::wrmsr(msr, next()), "wrmsr", msr);
        else
            t.add(probe::rdmsr(msr), "rdmsr", msr);
        if ((i & 255) == 0)
            probe::wrmsr(0x1b, lapic::kMmioBase | lapic::kBaseEnable | lapic::kBaseExtd | lapic::kBaseBsp);
    }
}

void fuzz_mmio(Tally& t) {
    // Back to xAPIC mode (through disabled, the only legal way).
    probe::wrmsr(0x1b, lapic::kMmioBase | lapic::kBaseBsp);
    probe::wrmsr(0x1b, lapic::kMmioBase | lapic::kBaseEnable | lapic::kBaseBsp);
    for (u32 i = 0; i < kRounds; ++i) {
        u64 r = next();
        u64 addr = lapic::kMmioBase + ((r >> 8) & 0xffc);
        if (r & 1)
            t.add(probe::write32(addr, static_cast<u32>(next())), "write", addr);
        else
            t.add(probe::read32(addr), "read", addr);
    }
    // Whatever the seed, each delivery mode a zone may not send is sent once
    // more, to vCPU 0 (itself) through a freshly enabled xAPIC: the
    // hypervisor must drop and log each (the scenario checks the log; some
    // seeds send none of them at random, 0xebe84550d7bb9423 for one).
    lapic::init(false);
    static constexpr u32 kRefusedModes[] = {2 /* SMI */, 3 /* reserved */, 4 /* NMI */, 7 /* reserved */};
    for (u32 mode : kRefusedModes) lapic::write(lapic::kIcr, (mode << 8) | kCheckVector); // to APIC ID 0: vCPU 0
}

void fuzz_ioapic(Tally& t) {
    for (u32 i = 0; i < kRounds; ++i) {
        u64 r = next();
        u32 reg = static_cast<u32>(r & 0x3f);
        t.add(probe::write32(kIoApic, reg), "write", kIoApic);
        if (r & 0x100)
            t.add(probe::write32(kIoApic + 0x10, static_cast<u32>(next())), "write", kIoApic + 0x10);
        else
            t.add(probe::read32(kIoApic + 0x10), "read", kIoApic + 0x10);
        t.add(probe::write32(kIoApic + 0x40, static_cast<u32>(r)), "write", kIoApic + 0x40); // EOI register
        // Make the UART raise pin 4, routed however the table now says.
        outb(kCom1 + 4, 0x08);
        outb(kCom1 + 1, 0x00);
        outb(kCom1 + 1, 0x02);
    }
    outb(kCom1 + 1, 0x00);
    outb(kCom1 + 4, 0x00);
}

} // namespace

extern "C" void zone_main(u64 boot_argument) {
    test::begin("apic-fuzz");
    rng = test::XorShift64(test::seed_from(boot_argument));
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    asm volatile("cli" ::: "memory");
    lapic::init(true);
    Tally t;
    fuzz_msrs(t);
    fuzz_mmio(t);
    fuzz_ioapic(t);
    print("%u accesses went through, %u got #GP\n", t.ok, t.gp);
    // A globally disabled and re-enabled APIC starts over; it must work.
    probe::wrmsr(0x1b, lapic::kMmioBase | lapic::kBaseBsp);
    lapic::init(true);
    BH_EXPECT_EQ(lapic::read(lapic::kId), 0ull);
    BH_EXPECT_EQ(lapic::read(static_cast<lapic::Reg>(lapic::kIrr + 0x30)), 0ull); // the reset dropped the pile
    irq::set_handler(kCheckVector, [](u32) { check_interrupts = check_interrupts + 1; });
    asm volatile("sti" ::: "memory");
    lapic::write(lapic::kSelfIpi, kCheckVector);
    for (u32 i = 0; i < 1000 && !check_interrupts; ++i) cpu_relax();
    BH_EXPECT_EQ(check_interrupts, 1u);
    BH_EXPECT_EQ(hc::version().status, static_cast<i64>(BH_OK));
    test::finish();
}
