// SPDX-License-Identifier: GPL-2.0-only
// A zone that writes random values into its interrupt controller: random
// registers of its virtual distributor and redistributor (32- and 64-bit,
// including the absent redistributor of a vCPU it does not have) and random
// ICC_SGI1R_EL1 values. Each access either works or takes an external abort
// (fault policy "abort"); the hypervisor must neither crash nor let an SGI
// out of the zone. Interrupts stay masked meanwhile. Afterwards a
// re-initialised GIC must deliver an SGI normally. The seed is the boot
// argument (test::seed_from).
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/hypercall.hpp>
#include <guest/irq.hpp>
#include <guest/mmio.hpp>
#include <guest/probe.hpp>
#include <guest/random.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u32 kRounds = 3000;
constexpr u32 kCheckSgi = 3;
// ICPENDR<n> and ICACTIVER<n>: word 0 in the SGI frame, the SPIs' in the
// distributor; the words the virtual GIC implements (arch::kVgicIntids).
constexpr u64 kIcpendr = 0x280, kIcactiver = 0x380;
constexpr u32 kWords = 3; // 96 INTIDs: GICD_TYPER.ITLinesNumber = 2

test::XorShift64 rng;
u64 next() { return rng.next(); }

volatile u32 check_interrupts;

struct Tally {
    u32 ok = 0, aborted = 0;
    void add(const probe::Result& r) { r.aborted ? ++aborted : ++ok; }
};

void fuzz_mmio(Tally& t, u64 base, u64 size) {
    for (u32 i = 0; i < kRounds; ++i) {
        u64 r = next();
        bool wide = r & 2;
        u64 addr = base + ((r >> 8) % size & ~u64(wide ? 7 : 3));
        if (r & 1)
            t.add(wide ? probe::write64(addr, next()) : probe::write32(addr, static_cast<u32>(next())));
        else
            t.add(wide ? probe::read64(addr) : probe::read32(addr));
    }
}

void fuzz_sgis() {
    for (u32 i = 0; i < kRounds; ++i) {
        u64 v = next();
        asm volatile("msr icc_sgi1r_el1, %0; isb" ::"r"(v) : "memory");
    }
}

} // namespace

extern "C" void zone_main(u64 boot_argument) {
    test::begin("gic-fuzz");
    rng = test::XorShift64(test::seed_from(boot_argument));
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    irq_disable();
    gic::init_distributor();
    gic::init_cpu();
    Tally t;
    fuzz_mmio(t, gic::kGicd, 0x10000);
    fuzz_mmio(t, gic::redistributor(0), 2 * gic::kGicrStride); // its own frames and a missing vCPU's
    fuzz_sgis();
    print("%u accesses went through, %u took an external abort; %u random SGI1R writes\n", t.ok, t.aborted, kRounds);
    // Start over: a clean GIC must work. Random writes to the ISACTIVER
    // registers leave interrupts active, each holding a list register until
    // the zone deactivates it (docs/architecture.md, "Interrupts and
    // timers"): a clean GIC has none active and none pending.
    u32 left_active = 0;
    for (u32 w = 0; w < kWords; ++w) {
        u64 bank = w == 0 ? gic::sgi_frame(0) : gic::kGicd + 4 * w;
        for (u32 bits = mmio::read32(bank + kIcactiver); bits; bits &= bits - 1)
            ++left_active; // (no FP/SIMD popcount here)
        mmio::write32(bank + kIcactiver, 0xffffffff);
        mmio::write32(bank + kIcpendr, 0xffffffff);
    }
    gic::init_distributor();
    gic::init_cpu();
    print("%u interrupts the fuzzing left active, now deactivated\n", left_active);
    // The random SGIs' leftovers: take and end each.
    for (u32 iar = gic::acknowledge(); (iar & 0xffffff) < 1020; iar = gic::acknowledge()) gic::end_of_interrupt(iar);
    irq::set_handler(kCheckSgi, [](u32) { check_interrupts = check_interrupts + 1; });
    gic::enable_local(kCheckSgi);
    irq_enable();
    gic::send_sgi(kCheckSgi, 0);
    for (u32 i = 0; i < 100000 && !check_interrupts; ++i) cpu_relax();
    test::check(check_interrupts >= 1, "the SGI to itself did not arrive");
    BH_EXPECT_EQ(hc::version().status, static_cast<i64>(BH_OK));
    test::finish();
}
