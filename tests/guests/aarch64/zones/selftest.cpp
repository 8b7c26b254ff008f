// SPDX-License-Identifier: GPL-2.0-only
// Self-test of the guest library, meant for bare QEMU virt at EL1 (it also
// runs in a zone): formatting, SGIs to self and to a second vCPU, periodic
// timer interrupts and the abort probes. If this passes natively, failures
// of the same code in a zone point at the hypervisor.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/format.hpp>
#include <guest/gic.hpp>
#include <guest/hypercall.hpp>
#include <guest/irq.hpp>
#include <guest/probe.hpp>
#include <guest/psci.hpp>
#include <guest/smp.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;

namespace {

constexpr u32 kSgiPing = 1;
constexpr u32 kSgiPong = 2;
constexpr u64 kContext = 0x5e1f7e57;
volatile u32 self_sgis;
volatile u32 pings;
volatile u32 pongs;
volatile u32 secondary_ready;

bool same(const char* a, const char* b) {
    while (*a && *a == *b) ++a, ++b;
    return *a == *b;
}

void check_format() {
    char buf[64];
    format(buf, sizeof buf, "%5d|%-4x|%08llx|%s|%c|%u", -42, 0xab, 0x1234ull, "ok", 'z', 7u);
    test::check(same(buf, "  -42|ab  |00001234|ok|z|7"), "format gave '%s'", buf);
    format(buf, 6, "%s", "truncated");
    test::check(same(buf, "trunc"), "truncation gave '%s'", buf);
}

void wait_for(volatile u32& v, u32 value, u64 ms) {
    u64 end = timer::counter() + timer::ms_to_ticks(ms);
    while (v < value && timer::counter() < end) cpu_relax();
}

void secondary(u64) {
    gic::init_cpu();
    irq::set_handler(kSgiPing, [](u32) {
        pings = pings + 1;
        gic::send_sgi(kSgiPong, 0);
    });
    gic::enable_local(kSgiPing);
    irq_enable();
    secondary_ready = 1;
    for (;;) wfi();
}

void check_interrupts() {
    gic::init_distributor();
    gic::init_cpu();
    irq::set_handler(kSgiPing, [](u32) { self_sgis = self_sgis + 1; });
    irq::set_handler(kSgiPong, [](u32) { pongs = pongs + 1; });
    gic::enable_local(kSgiPing);
    gic::enable_local(kSgiPong);
    irq_enable();

    gic::send_sgi(kSgiPing, 0);
    wait_for(self_sgis, 1, 1000);
    BH_EXPECT_EQ(self_sgis, 1u);

    i64 rc = smp::start_vcpu(1, secondary, 0, kContext);
    BH_EXPECT_EQ(rc, psci::kSuccess);
    wait_for(secondary_ready, 1, 1000);
    BH_EXPECT_EQ(smp::entry_context(1), kContext);
    for (u32 i = 0; i < 10; ++i) {
        gic::send_sgi(kSgiPing, 1);
        wait_for(pongs, i + 1, 1000);
    }
    BH_EXPECT_EQ(pings, 10u);
    BH_EXPECT_EQ(pongs, 10u);

    u64 period = timer::frequency() / 1000;
    u64 end = timer::counter() + 50 * period;
    timer::start_periodic(period, end);
    while (timer::counter() < end + 5 * period) wfi();
    timer::stop_periodic();
    u64 ticks = timer::periodic_ticks();
    test::check(ticks >= 45 && ticks <= 55, "50 ms at 1 kHz gave %llu ticks", static_cast<unsigned long long>(ticks));
    BH_EXPECT_EQ(irq::unhandled_count(), 0ull);
}

void check_probes() {
    // A zone has nothing at fw_cfg's address; bare QEMU virt has nothing at 0x0b000000.
    u64 hole = hc::in_zone() ? 0x09020000 : 0x0b000000;
    probe::Result r = probe::read32(hole);
    BH_EXPECT(r.aborted);
    BH_EXPECT_EQ(r.ec(), probe::kEcDataAbortSameEl);
    BH_EXPECT_EQ(r.fsc(), probe::kFscSyncExternal);
    BH_EXPECT_EQ(r.far, hole);
    r = probe::write64(hole + 8, 1);
    BH_EXPECT(r.aborted);
    BH_EXPECT_EQ(r.far, hole + 8);
    r = probe::exec(hole);
    BH_EXPECT(r.aborted);
    BH_EXPECT_EQ(r.ec(), probe::kEcInstAbortSameEl);
    BH_EXPECT_EQ(r.far, hole);
    static volatile u32 word = 0x1234;
    r = probe::read32(reinterpret_cast<uptr>(&word));
    BH_EXPECT(!r.aborted);
    BH_EXPECT_EQ(r.value, 0x1234u);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("guest-lib");
    print("guest library self-test (%s), counter at %llu Hz\n", hc::in_zone() ? "in a zone" : "bare QEMU",
          static_cast<unsigned long long>(timer::frequency()));
    check_format();
    check_interrupts();
    check_probes();
    test::finish();
}
