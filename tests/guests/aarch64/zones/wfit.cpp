// SPDX-License-Identifier: GPL-2.0-only
// WFIT Xt waits for an interrupt or until the virtual counter reaches Xt,
// whichever comes first. With interrupts masked and no timer armed, a
// hypervisor that treats WFIT as WFI would leave the vCPU asleep; a safety
// timer (the EL1 physical timer, 500 ms) ends such a wait so the test can
// report it. Where the CPU has no FEAT_WFxT (QEMU 7.2), the zone must not
// see it advertised and WFIT must be an Undefined Instruction: SKIP.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/sync_hook.hpp>
#include <guest/sysreg.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u32 kPtimerIntid = 30;

void wfit(u64 deadline) {
    register u64 x0 asm("x0") = deadline;
    asm volatile(".inst 0xd5031000" ::"r"(x0) : "memory"); // WFIT x0
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("wfit");
    sync_hook::set(sync_hook::skip_undefined);
    if (!sysreg::id_field(BH_MRS(s3_0_c0_c6_2), 0)) {
        wfit(timer::counter() + timer::ms_to_ticks(1));
        test::check(sync_hook::undefined_count() == 1, "WFIT without FEAT_WFxT did not raise Undefined Instruction");
        if (test::failures()) test::finish();
        test::skip("the CPU has no FEAT_WFxT (WFIT is undefined, as it must be)");
    }
    gic::init_distributor();
    gic::init_cpu();
    gic::enable_local(kPtimerIntid);
    u64 start = timer::counter();
    BH_MSR(cntp_tval_el0, timer::ms_to_ticks(500)); // the safety net
    BH_MSR(cntp_ctl_el0, timer::kCtlEnable);
    u64 deadline = start + timer::ms_to_ticks(5);
    u32 waits = 0;
    while (timer::counter() < deadline && waits < 1000) {
        wfit(deadline);
        ++waits;
    }
    u64 elapsed = timer::counter() - start;
    BH_MSR(cntp_ctl_el0, 0);
    print("WFIT with a 5 ms timeout returned after %llu us (%u waits)\n",
          static_cast<ull>(timer::ticks_to_ns(elapsed) / 1000), waits);
    test::check(sync_hook::undefined_count() == 0, "WFIT raised Undefined Instruction with FEAT_WFxT advertised");
    test::check(elapsed < timer::ms_to_ticks(250), "WFIT slept past its timeout until the 500 ms safety timer");
    test::finish();
}
