// SPDX-License-Identifier: GPL-2.0-only
// A vCPU that waits (WFI) just after its timer's deadline passed must get
// the timer interrupt with CNTV_CTL.ISTATUS reading 1, for the virtual and
// the physical timer alike. Regression: when the hypervisor found the
// deadline already passed on WFI, it masked the still-loaded timer without
// making QEMU re-evaluate ISTATUS; the guest read ISTATUS = 0, ignored the
// interrupt (as Linux does) and its timer never fired again: a 2-vCPU Linux
// zone hung in `sleep`.
//
// An interrupt taken with ISTATUS 0 is tolerated (counted, ended, and the
// wait goes on, as Linux does): the timer's PPI is level-sensitive, and the
// one a round's EOI re-raises while the timer still asserts it is withdrawn
// only at the zone's next exit after it disables the timer, as a physical
// GIC may also deliver a level interrupt whose line has just dropped. What
// must not happen is that the real one never comes.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u32 kRounds = 1024;

u32 acknowledge() {
    u64 v;
    asm volatile("mrs %0, icc_iar1_el1" : "=r"(v)::"memory");
    return static_cast<u32>(v & 0xffffff);
}
void end(u32 intid) { asm volatile("msr icc_eoir1_el1, %0\n isb" ::"r"(u64(intid)) : "memory"); }

struct Timer {
    const char* name;
    u32 intid;
    u64 (*count)();
    void (*set_cval)(u64);
    void (*set_ctl)(u64);
    u64 (*ctl)();
};

u64 vcount() { return timer::counter(); }
void vcval(u64 v) { asm volatile("msr cntv_cval_el0, %0\n isb" ::"r"(v) : "memory"); }
void vctl_set(u64 v) { asm volatile("msr cntv_ctl_el0, %0\n isb" ::"r"(v) : "memory"); }
u64 vctl() {
    u64 v;
    asm volatile("mrs %0, cntv_ctl_el0" : "=r"(v));
    return v;
}
u64 pcount() {
    u64 v;
    asm volatile("isb\n mrs %0, cntpct_el0" : "=r"(v)::"memory");
    return v;
}
void pcval(u64 v) { asm volatile("msr cntp_cval_el0, %0\n isb" ::"r"(v) : "memory"); }
void pctl_set(u64 v) { asm volatile("msr cntp_ctl_el0, %0\n isb" ::"r"(v) : "memory"); }
u64 pctl() {
    u64 v;
    asm volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
    return v;
}

void run(const Timer& t) {
    gic::enable_local(t.intid);
    u32 lost = 0, stale = 0;
    for (u32 i = 0; i < kRounds; ++i) {
        // Deadlines from "now" to about the cost of a WFI exit, so that some
        // pass while the hypervisor handles the WFI, before the emulator's
        // own timer callback has run.
        u64 cval = t.count() + (i % 128);
        t.set_cval(cval);
        t.set_ctl(timer::kCtlEnable);
        bool got = false;
        u64 give_up = t.count() + timer::ms_to_ticks(100);
        while (!got && t.count() < give_up) {
            wfi(); // interrupts stay masked: WFI returns once an interrupt is pending (or spuriously)
            u32 intid = acknowledge();
            if (intid != t.intid) continue;
            got = t.ctl() & timer::kCtlIstatus;
            if (!got) ++stale;
            end(intid);
        }
        if (!got) ++lost;
        t.set_ctl(0);
    }
    print("%s timer: %u rounds, %u without its interrupt, %u spurious (ISTATUS 0)\n", t.name, kRounds, lost, stale);
    test::check(lost == 0, "%s timer: %u interrupts missing", t.name, lost);
    gic::disable_local(t.intid);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("timer-expired-wait");
    gic::init_distributor();
    gic::init_cpu();
    run({"virtual", timer::kIntid, vcount, vcval, vctl_set, vctl});
    run({"physical", 30, pcount, pcval, pctl_set, pctl});
    test::finish();
}
