// SPDX-License-Identifier: GPL-2.0-only
// Processor state that no VMCB or VMCS field switches must still be each
// zone's own. Two zones (this image twice, ZONE_TAG "a" and "b") share one
// physical CPU and take turns with BH_HC_YIELD. Each checks that it starts
// with reset values, writes recognisable values of its own into DR0-DR3,
// DR6, DR7 and IA32_TSC_AUX, and checks after every yield that it still
// has exactly those (the other zone's never show up). Features CPUID hides
// stay off: CR4.PKE (PKRU) and CR4.OSXSAVE (XCR0 and the extended state
// FXSAVE does not cover) are refused with #GP, XGETBV/XSETBV and RDPKRU
// raise #UD. Last, hardware breakpoints set before a yield still fire
// after it.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/exceptions.hpp>
#include <guest/hypercall.hpp>
#include <guest/probe.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

#ifndef ZONE_TAG
#error "ZONE_TAG must name the zone"
#endif

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u64 kSeed = ZONE_TAG[0] == 'a' ? 0xa : 0xb;
constexpr u32 kMsrTscAux = 0xc0000103;
constexpr u64 kCr4Osxsave = 1u << 18, kCr4Pke = 1u << 22;
constexpr u64 kDr6Reset = 0xffff0ff0, kDr6Status = 0xe00f; // B0-B3, BD, BS, BT
constexpr u64 kDr7Reset = 0x400;

#define BH_DR(n)                                                                                                       \
    u64 read_dr##n() {                                                                                                 \
        u64 v;                                                                                                         \
        asm volatile("mov %%db" #n ", %0" : "=r"(v));                                                                  \
        return v;                                                                                                      \
    }                                                                                                                  \
    u64 write_dr##n(u64 v) {                                                                                           \
        asm volatile("mov %0, %%db" #n ::"r"(v) : "memory");                                                           \
        return 0;                                                                                                      \
    }
BH_DR(0)
BH_DR(1)
BH_DR(2)
BH_DR(3)
BH_DR(6)
BH_DR(7)
#undef BH_DR

struct State {
    u64 dr[4], dr6, dr7, tsc_aux;
};

// Canonical addresses nobody executes (DR7 enables instruction
// breakpoints there), distinct per zone and register; status bits B0/B2 or
// B1/B3. (Instruction breakpoints only where both back ends run this: see
// check_breakpoints.)
constexpr State kOwn{{0x00007000'00001000ull | kSeed << 40, 0x00007000'00002000ull | kSeed << 40,
                      0x00007000'00003000ull | kSeed << 40, 0x00007000'00004000ull | kSeed << 40},
                     kDr6Reset | (kSeed == 0xa ? 0x5 : 0xa),
                     kDr7Reset | (kSeed == 0xa ? 0x55 : 0xaa), // L0-L3 or G0-G3
                     0x5a00 | kSeed};
constexpr State kReset{{0, 0, 0, 0}, kDr6Reset, kDr7Reset, 0};

bool has_rdtscp() { return (cpuid(0x80000001).edx >> 27) & 1; }
bool has_rdpid() { return (cpuid(7).ecx >> 22) & 1; }

u64 rdtscp_aux() {
    u32 lo, hi, aux;
    asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
    return aux;
}
u64 rdpid() {
    u64 v;
    asm volatile("rdpid %0" : "=r"(v));
    return v;
}

State read_state() {
    State s{{read_dr0(), read_dr1(), read_dr2(), read_dr3()}, read_dr6(), read_dr7(), 0};
    probe::Result aux = probe::rdmsr(kMsrTscAux);
    s.tsc_aux = aux.faulted ? ~0ull : aux.value;
    return s;
}

void write_state(const State& s) {
    write_dr0(s.dr[0]);
    write_dr1(s.dr[1]);
    write_dr2(s.dr[2]);
    write_dr3(s.dr[3]);
    write_dr6(s.dr6);
    write_dr7(s.dr7);
    probe::Result r = probe::wrmsr(kMsrTscAux, s.tsc_aux);
    test::check(!r.faulted, "wrmsr IA32_TSC_AUX <- 0x%llx raised exception %u", static_cast<ull>(s.tsc_aux), r.vector);
}

void expect_state(const State& want, const char* when) {
    State got = read_state();
    for (u32 i = 0; i < 4; ++i)
        test::check(got.dr[i] == want.dr[i], "%s: DR%u = 0x%llx, expected 0x%llx", when, i, static_cast<ull>(got.dr[i]),
                    static_cast<ull>(want.dr[i]));
    test::check((got.dr6 & kDr6Status) == (want.dr6 & kDr6Status), "%s: DR6 = 0x%llx, expected 0x%llx", when,
                static_cast<ull>(got.dr6), static_cast<ull>(want.dr6));
    test::check((got.dr7 & 0xffffffff) == want.dr7, "%s: DR7 = 0x%llx, expected 0x%llx", when,
                static_cast<ull>(got.dr7), static_cast<ull>(want.dr7));
    test::check(got.tsc_aux == want.tsc_aux, "%s: IA32_TSC_AUX = 0x%llx, expected 0x%llx", when,
                static_cast<ull>(got.tsc_aux), static_cast<ull>(want.tsc_aux));
    if (has_rdtscp())
        test::check(rdtscp_aux() == want.tsc_aux, "%s: RDTSCP returned TSC_AUX 0x%llx, expected 0x%llx", when,
                    static_cast<ull>(rdtscp_aux()), static_cast<ull>(want.tsc_aux));
    if (has_rdpid())
        test::check(rdpid() == want.tsc_aux, "%s: RDPID returned 0x%llx, expected 0x%llx", when,
                    static_cast<ull>(rdpid()), static_cast<ull>(want.tsc_aux));
}

u64 set_cr4(u64 bit) {
    u64 cr4;
    asm volatile("mov %%cr4, %0" : "=r"(cr4));
    asm volatile("mov %0, %%cr4" ::"r"(cr4 | bit) : "memory");
    return 0;
}
u64 xgetbv0(u64) {
    u32 lo, hi;
    asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (u64(hi) << 32) | lo;
}
u64 xsetbv0(u64 v) {
    asm volatile("xsetbv" ::"a"(static_cast<u32>(v)), "d"(static_cast<u32>(v >> 32)), "c"(0) : "memory");
    return 0;
}
u64 rdpkru(u64) {
    u32 v, edx;
    asm volatile("rdpkru" : "=a"(v), "=d"(edx) : "c"(0));
    return v;
}
u64 wrpkru(u64 v) {
    asm volatile("wrpkru" ::"a"(static_cast<u32>(v)), "c"(0), "d"(0) : "memory");
    return 0;
}

void expect_fault(const probe::Result& r, u32 vector, const char* what) {
    test::check(r.faulted && r.vector == vector, "%s: %s (expected exception %u)", what,
                r.faulted ? "another exception" : "no exception", vector);
}

// PKU and XSAVE are hidden in CPUID, so their enables are refused and their
// state (PKRU; XCR0 and everything XSAVE manages beyond FXSAVE's x87/SSE)
// can never hold anything of a zone's. If a hypervisor lets a zone enable
// them anyway, the values another zone left are looked for too.
void check_hidden_features() {
    test::check(!((cpuid(7).ecx >> 3) & 1) && !((cpuid(1).ecx >> 26) & 1), "CPUID shows PKU or XSAVE");
    probe::Result pke = probe::call(set_cr4, kCr4Pke);
    expect_fault(pke, probe::kVectorGp, "setting CR4.PKE");
    if (!pke.faulted) {
        probe::Result seen = probe::call(rdpkru);
        if (!seen.faulted) {
            test::check(seen.value == 0, "RDPKRU shows 0x%llx, which this zone never wrote",
                        static_cast<ull>(seen.value));
            probe::call(wrpkru, 0x55555550u | (kSeed << 28));
        }
    }
    probe::Result osx = probe::call(set_cr4, kCr4Osxsave);
    expect_fault(osx, probe::kVectorGp, "setting CR4.OSXSAVE");
    if (osx.faulted) {
        expect_fault(probe::call(xgetbv0), probe::kVectorUd, "XGETBV with CR4.OSXSAVE clear");
        expect_fault(probe::call(rdpkru), probe::kVectorUd, "RDPKRU with CR4.PKE clear");
    } else {
        probe::Result x = probe::call(xgetbv0);
        print("CR4.OSXSAVE accepted; XCR0 reads 0x%llx\n", static_cast<ull>(x.value));
    }
    expect_fault(probe::call(xsetbv0, 7), probe::kVectorUd, "XSETBV (x87|SSE|AVX)");
}

volatile u32 watched;
volatile u32 db_taken;
volatile u64 db_dr6, db_rip;

// One target per zone (the two images are the same), so that a breakpoint
// of one zone never sits at an address the other executes.
extern "C" __attribute__((noinline, used)) void bp_target_a() { asm volatile("" ::: "memory"); }
extern "C" __attribute__((noinline, used)) void bp_target_b() { asm volatile("" ::: "memory"); }
void (*const bp_target)() = kSeed == 0xa ? bp_target_a : bp_target_b;

bool on_db(ExceptionFrame& f) {
    db_dr6 = read_dr6();
    write_dr6(kDr6Reset); // DR6 is sticky: the handler clears it, as a kernel does
    // An instruction breakpoint is a fault and would hit again on return:
    // disarm (a data breakpoint is a trap, RIP already past the write).
    write_dr7(kDr7Reset);
    db_rip = f.rip;
    db_taken = db_taken + 1;
    return true;
}

bool took_db(const char* what, u64 rip) {
    bool ok = test::check(db_taken == 1, "%s: %u #DB instead of one", what, db_taken);
    ok = test::check(db_dr6 & 1, "%s: #DB with DR6 = 0x%llx, B0 clear", what, static_cast<ull>(db_dr6)) && ok;
    if (rip)
        ok = test::check(db_rip == rip, "%s: #DB at 0x%llx, expected 0x%llx", what, static_cast<ull>(db_rip),
                         static_cast<ull>(rip)) &&
             ok;
    db_taken = 0;
    return ok;
}

// QEMU's TCG says so in its brand string (-cpu max: "QEMU TCG CPU ...").
bool qemu_tcg() {
    char brand[49] = {};
    for (u32 i = 0; i < 3; ++i) {
        Cpuid c = cpuid(0x80000002 + i);
        __builtin_memcpy(brand + 16 * i, &c, 16);
    }
    for (const char* p = brand; *p; ++p)
        if (__builtin_memcmp(p, "QEMU TCG", 8) == 0) return true;
    return false;
}

// The zone's own breakpoints, armed before a yield, fire after it: the
// hypervisor gave DR0 and DR7 back. QEMU's TCG before 9.1 cannot run this:
// it loads DR7 at VMRUN and #VMEXIT without updating the breakpoints it
// checks, so breakpoints leak from zone to zone (an instruction breakpoint
// left behind raises #DB whatever DR7 says) or crash it (a data breakpoint
// left behind meeting another zone's DR7: cpu_breakpoint_remove_by_ref).
// There only zone a checks a breakpoint, once zone b has ended (its yields
// give b the turns it needs), within one run: no other zone's debug
// registers can disturb QEMU's list then. Every other CPU (Bochs, hardware
// under KVM) takes an instruction and a data-write breakpoint across a
// yield, in both zones.
void check_breakpoints() {
    constexpr u64 kL0 = 1, kRw0Write = 1ull << 16, kLen0Four = 3ull << 18;
    exceptions::set_handler(probe::kVectorDb, on_db);
    bool across = !qemu_tcg();
    if (!across && kSeed != 0xa) {
        print("no breakpoint check in this zone under QEMU's TCG (see zone a)\n");
        return;
    }
    if (!across)
        for (u32 i = 0; i < 20; ++i) hc::yield();
    u64 target = reinterpret_cast<uptr>(bp_target);
    write_dr6(kDr6Reset);
    write_dr0(target);
    write_dr7(kDr7Reset | kL0); // execute, 1 byte
    if (across) hc::yield();    // the other zone runs with its own debug registers
    bp_target();
    if (took_db("an instruction breakpoint", target))
        print("an instruction breakpoint %s (DR6 0x%llx)\n",
              across ? "set before a yield fired after it" : "fired (within one run: QEMU's TCG)",
              static_cast<ull>(db_dr6));
    bp_target(); // disarmed by the handler
    BH_EXPECT_EQ(db_taken, 0u);
    if (!across) return;
    write_dr0(reinterpret_cast<uptr>(&watched));
    write_dr7(kDr7Reset | kL0 | kRw0Write | kLen0Four);
    hc::yield();
    watched = 1;
    if (took_db("a write breakpoint set before a yield", 0))
        print("a write breakpoint set before a yield fired after it (DR6 0x%llx)\n", static_cast<ull>(db_dr6));
    watched = 2; // disarmed by the handler
    BH_EXPECT_EQ(db_taken, 0u);
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("state-crossing-" ZONE_TAG);
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    // The other zone may already have written its values: they must not show.
    hc::yield();
    expect_state(kReset, "at start");
    check_hidden_features();
    write_state(kOwn);
    expect_state(kOwn, "after writing");
    for (u32 i = 0; i < 3; ++i) {
        hc::yield();
        expect_state(kOwn, "after a yield");
    }
    print("DR0-3 0x%llx..., DR6 0x%llx, DR7 0x%llx, TSC_AUX 0x%llx kept across 3 yields\n",
          static_cast<ull>(kOwn.dr[0]), static_cast<ull>(kOwn.dr6), static_cast<ull>(kOwn.dr7),
          static_cast<ull>(kOwn.tsc_aux));
    write_state(kReset);
    check_breakpoints();
    test::finish();
}
