// SPDX-License-Identifier: GPL-2.0-only
// State that must not cross from one zone to the next on the same CPU. Two
// zones (this image twice) share one physical CPU. The planter (slot 0)
// writes recognisable values into every register below and yields; the
// observer (slot 1) must read only reset values (zero; the OS lock
// unlocked), and its own breakpoint and watchpoint must fire while the
// planter's enabled ones, aimed at the observer's code and data, must not.
// The planter then checks that its values are still its own.
//
// Registers: the debug registers (breakpoint and watchpoint pairs,
// MDSCR_EL1, MDCCINT_EL1, claim tags, OS lock, OS double lock,
// DBGPRCR_EL1), DISR_EL1 (VDISR_EL2 while HCR_EL2.AMO is set), TPIDR2_EL0
// (SME), the RAS error records (ERRSELR_EL1, ERX*) and the LORegion
// registers. An access that raises Undefined Instruction counts as "nothing
// to leak".
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/debug_regs.hpp>
#include <guest/hypercall.hpp>
#include <guest/sync_hook.hpp>
#include <guest/sysreg.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

#define BH_REG(name, enc)                                                                                              \
    u64 rd_##name() { return BH_MRS(enc); }                                                                            \
    void wr_##name(u64 v) { BH_MSR(enc, v); }
BH_REG(mdscr, mdscr_el1)
BH_REG(mdccint, mdccint_el1)
BH_REG(osdlr, osdlr_el1)
BH_REG(dbgprcr, dbgprcr_el1)
BH_REG(disr, s3_0_c12_c1_1)
BH_REG(tpidr2, s3_3_c13_c0_5)
BH_REG(errselr, s3_0_c5_c3_1)
BH_REG(erxctlr, s3_0_c5_c4_1)
BH_REG(erxstatus, s3_0_c5_c4_2)
BH_REG(erxaddr, s3_0_c5_c4_3)
BH_REG(erxmisc0, s3_0_c5_c5_0)
BH_REG(lorsa, s3_0_c10_c4_0)
BH_REG(lorea, s3_0_c10_c4_1)
BH_REG(lorn, s3_0_c10_c4_2)
BH_REG(lorc, s3_0_c10_c4_3)
#undef BH_REG
u64 rd_claim() { return BH_MRS(dbgclaimclr_el1); }
void wr_claim(u64 v) {
    BH_MSR(dbgclaimclr_el1, 0xff);
    BH_MSR(dbgclaimset_el1, v);
}
u64 rd_oslk() { return BH_MRS(oslsr_el1) & debug::kOslsrOslk; }
void wr_oslk(u64 v) { BH_MSR(oslar_el1, v ? 1 : 0); }

struct Reg {
    const char* name;
    u64 (*read)();
    void (*write)(u64);
    u64 plant;
};

// The OS lock last: with it set, the planter's own debug accesses change.
const Reg kRegs[] = {
    {"MDSCR_EL1", rd_mdscr, wr_mdscr, debug::kMdscrKde | debug::kMdscrMde},
    {"MDCCINT_EL1", rd_mdccint, wr_mdccint, (1u << 29) | (1u << 30)},
    {"DBGCLAIM", rd_claim, wr_claim, 0xa5},
    {"DBGPRCR_EL1", rd_dbgprcr, wr_dbgprcr, 1},
    {"DISR_EL1", rd_disr, wr_disr, (1u << 31) | 0x5e1},
    {"TPIDR2_EL0", rd_tpidr2, wr_tpidr2, 0x5ec2e7000000002ull},
    {"ERRSELR_EL1", rd_errselr, wr_errselr, 1},
    {"ERXCTLR_EL1", rd_erxctlr, wr_erxctlr, 0x5ec},
    {"ERXSTATUS_EL1", rd_erxstatus, wr_erxstatus, 0},
    {"ERXADDR_EL1", rd_erxaddr, wr_erxaddr, 0x5ec2e7000ull},
    {"ERXMISC0_EL1", rd_erxmisc0, wr_erxmisc0, 0x5ec2e7001ull},
    {"LORSA_EL1", rd_lorsa, wr_lorsa, 0x5ec2e70000ull | 1},
    {"LOREA_EL1", rd_lorea, wr_lorea, 0x5ec2e80000ull},
    {"LORN_EL1", rd_lorn, wr_lorn, 1},
    {"LORC_EL1", rd_lorc, wr_lorc, 1},
    {"OSDLR_EL1", rd_osdlr, wr_osdlr, 1},
    {"OSLSR_EL1.OSLK", rd_oslk, wr_oslk, debug::kOslsrOslk},
};
constexpr u32 kRegCount = sizeof kRegs / sizeof kRegs[0];

// What the planter read back after writing (0: nothing stuck, or UNDEF).
u64 planted[kRegCount];
u64 planted_bvr[16], planted_bcr[16], planted_wvr[16], planted_wcr[16];

// The observer's code and data, which the planter aims its enabled
// breakpoint 1 and watchpoint 1 at (both zones run this image at the same
// addresses).
__attribute__((noinline)) void observer_marker() { asm volatile("nop" ::: "memory"); }
__attribute__((noinline)) void observer_bp_target() { asm volatile("nop" ::: "memory"); }
volatile u64 observer_data __attribute__((aligned(8)));
volatile u64 observer_watched __attribute__((aligned(8)));
void (*volatile call_marker)() = observer_marker;
void (*volatile call_bp_target)() = observer_bp_target;

u64 addr(const volatile void* p) { return reinterpret_cast<uptr>(p); }
u64 code_addr(void (*f)()) { return reinterpret_cast<uptr>(f); }

u64 guarded_read(u64 (*read)()) {
    sync_hook::reset_undefined_count();
    u64 v = read();
    return sync_hook::undefined_count() ? 0 : v;
}

void plant() {
    for (u32 n = 0; n < debug::breakpoints(); ++n) {
        bool aimed = n == 1;
        debug::write_bvr(n, aimed ? code_addr(observer_marker) : 0x5ec2e7000ull + 0x40 * n);
        debug::write_bcr(n, aimed ? debug::kBcrEnabledEl1El0 : debug::kBcrEnabledEl1El0 & ~1ull);
        planted_bvr[n] = debug::read_bvr(n);
        planted_bcr[n] = debug::read_bcr(n);
    }
    for (u32 n = 0; n < debug::watchpoints(); ++n) {
        bool aimed = n == 1;
        debug::write_wvr(n, aimed ? addr(&observer_data) : 0x5ec2e8000ull + 0x40 * n);
        debug::write_wcr(n, aimed ? debug::kWcrEnabledEl1El0 : debug::kWcrEnabledEl1El0 & ~1ull);
        planted_wvr[n] = debug::read_wvr(n);
        planted_wcr[n] = debug::read_wcr(n);
    }
    for (u32 i = 0; i < kRegCount; ++i) {
        sync_hook::reset_undefined_count();
        kRegs[i].write(kRegs[i].plant);
        planted[i] = guarded_read(kRegs[i].read);
        print("planted %s = 0x%llx, reads back 0x%llx\n", kRegs[i].name, static_cast<ull>(kRegs[i].plant),
              static_cast<ull>(planted[i]));
    }
    print("planted %u breakpoints and %u watchpoints (#1 of each enabled, aimed at the observer)\n",
          debug::breakpoints(), debug::watchpoints());
}

void expect_pair(const char* what, u32 n, u64 seen, u64 want) {
    test::check(seen == want, "%s%u_EL1 reads 0x%llx, expected 0x%llx", what, n, static_cast<ull>(seen),
                static_cast<ull>(want));
}

// The planter, after the observer ran: everything it planted is still there.
void check_planted() {
    for (u32 n = 0; n < debug::breakpoints(); ++n) {
        expect_pair("planter: DBGBVR", n, debug::read_bvr(n), planted_bvr[n]);
        expect_pair("planter: DBGBCR", n, debug::read_bcr(n), planted_bcr[n]);
    }
    for (u32 n = 0; n < debug::watchpoints(); ++n) {
        expect_pair("planter: DBGWVR", n, debug::read_wvr(n), planted_wvr[n]);
        expect_pair("planter: DBGWCR", n, debug::read_wcr(n), planted_wcr[n]);
    }
    for (u32 i = 0; i < kRegCount; ++i) {
        u64 v = guarded_read(kRegs[i].read);
        test::check(v == planted[i], "planter: %s reads 0x%llx after the switch, it wrote 0x%llx", kRegs[i].name,
                    static_cast<ull>(v), static_cast<ull>(planted[i]));
    }
}

// The observer's first look: reset values only.
void check_reset_values() {
    u32 leaks = 0;
    for (u32 n = 0; n < debug::breakpoints(); ++n) {
        u64 bvr = debug::read_bvr(n), bcr = debug::read_bcr(n);
        leaks += !test::check(bvr == 0 && bcr == 0,
                              "observer: breakpoint %u: DBGBVR 0x%llx DBGBCR 0x%llx (not reset values)", n,
                              static_cast<ull>(bvr), static_cast<ull>(bcr));
    }
    for (u32 n = 0; n < debug::watchpoints(); ++n) {
        u64 wvr = debug::read_wvr(n), wcr = debug::read_wcr(n);
        leaks += !test::check(wvr == 0 && wcr == 0,
                              "observer: watchpoint %u: DBGWVR 0x%llx DBGWCR 0x%llx (not reset values)", n,
                              static_cast<ull>(wvr), static_cast<ull>(wcr));
    }
    for (u32 i = 0; i < kRegCount; ++i) {
        u64 v = guarded_read(kRegs[i].read);
        leaks += !test::check(v == 0, "observer: %s reads 0x%llx (not its reset value 0)", kRegs[i].name,
                              static_cast<ull>(v));
    }
    print("observer: %u registers with another zone's values\n", leaks);
}

volatile u32 own_breakpoints, own_watchpoints, foreign_hits;

bool debug_hook(sync_hook::Event& e) {
    if (sync_hook::skip_undefined(e)) return true;
    if (e.ec() == sync_hook::kEcBreakpointSameEl) {
        if (e.elr == code_addr(observer_bp_target)) {
            own_breakpoints = own_breakpoints + 1;
            debug::write_bcr(0, 0);
        } else {
            foreign_hits = foreign_hits + 1;
            for (u32 n = 1; n < debug::breakpoints(); ++n) debug::write_bcr(n, 0);
        }
        return true;
    }
    if (e.ec() == sync_hook::kEcWatchpointSameEl) {
        if (e.far == addr(&observer_watched)) {
            own_watchpoints = own_watchpoints + 1;
            debug::write_wcr(0, 0);
        } else {
            foreign_hits = foreign_hits + 1;
            for (u32 n = 1; n < debug::watchpoints(); ++n) debug::write_wcr(n, 0);
        }
        return true;
    }
    return false;
}

// The observer's own breakpoint 0 and watchpoint 0 work; nobody else's fire.
void check_own_debug() {
    sync_hook::set(debug_hook);
    debug::write_bvr(0, code_addr(observer_bp_target));
    debug::write_bcr(0, debug::kBcrEnabledEl1El0);
    debug::write_wvr(0, addr(&observer_watched));
    debug::write_wcr(0, debug::kWcrEnabledEl1El0);
    wr_mdscr(rd_mdscr() | debug::kMdscrKde | debug::kMdscrMde);
    asm volatile("msr daifclr, #8\n isb" ::: "memory"); // unmask debug exceptions
    call_marker();
    u64 seen = observer_data;
    call_bp_target();
    seen += observer_watched;
    asm volatile("msr daifset, #8\n isb" ::: "memory");
    wr_mdscr(0);
    (void)seen;
    print("observer: own breakpoint hits %u, own watchpoint hits %u, foreign hits %u\n", own_breakpoints,
          own_watchpoints, foreign_hits);
    test::check(own_breakpoints == 1, "observer: its own breakpoint fired %u times, expected once", own_breakpoints);
    test::check(own_watchpoints == 1, "observer: its own watchpoint fired %u times, expected once", own_watchpoints);
    test::check(foreign_hits == 0, "observer: %u debug exceptions from another zone's breakpoints or watchpoints",
                foreign_hits);
    sync_hook::set(sync_hook::skip_undefined);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("state-leak");
    hc::ZoneSelf self = hc::zone_self();
    if (self.status != BH_OK) test::skip("needs the hypervisor");
    sync_hook::set(sync_hook::skip_undefined);
    bool planter = (self.handle & 0xffff) == 0;
    if (planter) {
        plant();
        for (u32 i = 0; i < 20; ++i) hc::yield();
        check_planted();
        wr_oslk(0);
    } else {
        hc::yield(); // the planter has planted by the time this returns
        check_reset_values();
        check_own_debug();
    }
    test::finish();
}
