// SPDX-License-Identifier: GPL-2.0-only
// The generic timer's rules (Arm ARM D11.2.4) for the EL1 virtual and
// physical timers, and its interrupt as the level-sensitive PPI it is:
// - CTL.ENABLE and IMASK read back as written, also in the handler;
// - ISTATUS is set only while ENABLE is 1 and the condition holds
//   (IMASK does not affect it);
// - TVAL is a signed 32-bit view of CVAL - counter: writing a negative TVAL
//   puts CVAL in the past;
// - while ENABLE is 1, IMASK is 0 and the condition holds, the PPI is
//   pending (GICR_ISPENDR0, ICC_HPPIR1); it stops being pending, and is
//   not delivered, once the timer is disabled, masked or its CVAL moved into
//   the future; ICPENDR does not clear it while it is asserted;
// - a handler that ends the interrupt without changing the timer gets it
//   again (level), and one disabled in the GIC while asserted is held
//   pending and delivered when enabled.
// The same image runs on bare QEMU (timer-rules-native), where QEMU's own
// timer and GIC define the reference.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/gic_state.hpp>
#include <guest/irq.hpp>
#include <guest/sysreg.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

using timer::kCtlEnable, timer::kCtlImask, timer::kCtlIstatus;

struct Timer {
    const char* name;
    u32 intid;
    u64 (*count)();
    u64 (*ctl)();
    void (*set_ctl)(u64);
    u64 (*cval)();
    void (*set_cval)(u64);
    u64 (*tval)();
    void (*set_tval)(u64);
};

u64 vcount() { return timer::counter(); }
u64 vctl() { return BH_MRS(cntv_ctl_el0); }
void vset_ctl(u64 v) { BH_MSR(cntv_ctl_el0, v); }
u64 vcval() { return BH_MRS(cntv_cval_el0); }
void vset_cval(u64 v) { BH_MSR(cntv_cval_el0, v); }
u64 vtval() { return BH_MRS(cntv_tval_el0); }
void vset_tval(u64 v) { BH_MSR(cntv_tval_el0, v); }
u64 pcount() {
    isb();
    return BH_MRS(cntpct_el0);
}
u64 pctl() { return BH_MRS(cntp_ctl_el0); }
void pset_ctl(u64 v) { BH_MSR(cntp_ctl_el0, v); }
u64 pcval() { return BH_MRS(cntp_cval_el0); }
void pset_cval(u64 v) { BH_MSR(cntp_cval_el0, v); }
u64 ptval() { return BH_MRS(cntp_tval_el0); }
void pset_tval(u64 v) { BH_MSR(cntp_tval_el0, v); }

const Timer kTimers[] = {
    {"virtual", 27, vcount, vctl, vset_ctl, vcval, vset_cval, vtval, vset_tval},
    {"physical", 30, pcount, pctl, pset_ctl, pcval, pset_cval, ptval, pset_tval},
};

const Timer* current;
volatile u32 taken;
volatile u32 stop_after;     // the handler disables the timer once `taken` reaches it
volatile u64 ctl_in_handler; // CTL as the handler read it

void on_timer(u32) {
    ctl_in_handler = current->ctl();
    taken = taken + 1;
    if (taken >= stop_after) current->set_ctl(0);
}

// Long enough for the interrupt to reach the CPU (through an exit, in a zone).
void settle() { timer::delay_ms(2); }

void assert_now(const Timer& t) {
    t.set_cval(t.count() - 1);
    t.set_ctl(kCtlEnable);
    settle();
}

bool wait_taken(u32 n, u64 ms) {
    u64 end = timer::counter() + timer::ms_to_ticks(ms);
    while (taken < n && timer::counter() < end) cpu_relax();
    return taken >= n;
}

void rules(const Timer& t) {
    const char* n = t.name;
    current = &t;
    // ISTATUS and ENABLE/IMASK read-back.
    t.set_ctl(0);
    t.set_cval(0);
    test::check(!(t.ctl() & kCtlIstatus), "%s: ISTATUS set with ENABLE 0 (condition met)", n);
    t.set_ctl(kCtlEnable | kCtlImask);
    test::check((t.ctl() & 7) == (kCtlEnable | kCtlImask | kCtlIstatus),
                "%s: CTL 0x%llx after writing ENABLE|IMASK, CVAL 0", n, static_cast<ull>(t.ctl()));
    t.set_ctl(kCtlEnable | kCtlImask);
    t.set_cval(t.count() + timer::ms_to_ticks(1000));
    test::check((t.ctl() & 7) == (kCtlEnable | kCtlImask), "%s: CTL 0x%llx with CVAL in the future", n,
                static_cast<ull>(t.ctl()));
    t.set_ctl(0);

    // TVAL: signed 32 bits.
    t.set_tval(static_cast<u64>(static_cast<u32>(-1000)));
    u64 now = t.count();
    i64 delta = static_cast<i64>(t.cval() - now);
    test::check(delta <= -1000 && delta > -1000 - static_cast<i64>(timer::ms_to_ticks(50)),
                "%s: TVAL = -1000 gave CVAL - counter = %lld", n, static_cast<long long>(delta));
    i32 tval = static_cast<i32>(static_cast<u32>(t.tval()));
    test::check(tval <= -1000, "%s: TVAL reads %d after CVAL passed", n, tval);
    t.set_tval(0x7fffffff);
    delta = static_cast<i64>(t.cval() - t.count());
    test::check(delta > 0x7fffffff - static_cast<i64>(timer::ms_to_ticks(50)) && delta <= 0x7fffffff,
                "%s: TVAL = 0x7fffffff gave CVAL - counter = %lld", n, static_cast<long long>(delta));
    t.set_ctl(kCtlEnable);
    test::check(!(t.ctl() & kCtlIstatus), "%s: ISTATUS with CVAL 2^31 ticks ahead", n);
    t.set_ctl(0);

    gic::enable_local(t.intid);
    // Pending while asserted; stops being pending when the condition ends.
    struct Ender {
        const char* what;
        void (*end)(const Timer&);
    };
    const Ender enders[] = {
        {"disabling it (ENABLE 0)", [](const Timer& x) { x.set_ctl(0); }},
        {"masking it (IMASK 1)", [](const Timer& x) { x.set_ctl(kCtlEnable | kCtlImask); }},
        {"moving CVAL into the future", [](const Timer& x) { x.set_cval(x.count() + timer::ms_to_ticks(1000)); }},
    };
    for (const Ender& e : enders) {
        assert_now(t);
        test::check(gic::pending(t.intid), "%s: not pending in GICR_ISPENDR0 while asserted", n);
        test::check(gic::highest_pending() == t.intid, "%s: ICC_HPPIR1 %u while asserted", n, gic::highest_pending());
        e.end(t);
        settle();
        test::check(!gic::pending(t.intid), "%s: still pending after %s", n, e.what);
        test::check(gic::highest_pending() != t.intid, "%s: still the highest pending after %s", n, e.what);
        u32 before = taken;
        irq_enable();
        settle();
        irq_disable();
        test::check(taken == before, "%s: delivered after %s", n, e.what);
        t.set_ctl(0);
    }

    // ICPENDR does not clear an asserted level interrupt.
    assert_now(t);
    gic::set_bit(gic::kIcpendr, t.intid);
    test::check(gic::pending(t.intid), "%s: ICPENDR cleared it while the timer still asserts it", n);
    t.set_ctl(0);
    settle();

    // Level: ended without a change to the timer, it comes again.
    taken = 0;
    stop_after = 3;
    ctl_in_handler = 0;
    assert_now(t);
    irq_enable();
    wait_taken(3, 200);
    settle();
    irq_disable();
    test::check(taken == 3, "%s: taken %u times with the condition held until the third (expected 3)", n, taken);
    test::check((ctl_in_handler & 3) == kCtlEnable, "%s: CTL read 0x%llx in the handler, the zone wrote ENABLE", n,
                static_cast<ull>(ctl_in_handler));

    // Disabled in the GIC while asserted: held pending, delivered on enable.
    taken = 0;
    stop_after = 1;
    gic::disable_local(t.intid);
    assert_now(t);
    irq_enable();
    settle();
    test::check(taken == 0, "%s: delivered while disabled in the GIC", n);
    test::check(gic::pending(t.intid), "%s: not pending while asserted and disabled in the GIC", n);
    gic::enable_local(t.intid);
    wait_taken(1, 200);
    irq_disable();
    test::check(taken == 1, "%s: taken %u times after enabling it in the GIC (expected 1)", n, taken);
    t.set_ctl(0);
    gic::disable_local(t.intid);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("timer-rules");
    gic::init_distributor();
    gic::init_cpu();
    for (const Timer& t : kTimers) irq::set_handler(t.intid, on_timer);
    for (const Timer& t : kTimers) rules(t);
    test::finish();
}
