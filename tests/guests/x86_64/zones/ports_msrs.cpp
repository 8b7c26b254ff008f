// SPDX-License-Identifier: GPL-2.0-only
// What an x86 zone sees of the machine beyond memory: CPUID without
// virtualization extensions; among the I/O ports only its own PC devices
// (a 16550, a CMOS RTC showing the host's time, an i8042 whose reset
// command ends the zone: i8042_reset.cpp, and fixed answers at the PIT,
// port B, the 8259s and the POST port that end Linux's calibration loops
// at once); every other port reads all ones and swallows writes, including
// the emulators' power-off ports, so this zone cannot end the machine;
// MSRs limited to what the hypervisor switches or emulates, everything
// else #GP.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/probe.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u32 kEfer = 0xc0000080, kPat = 0x277, kFsBase = 0xc0000100, kTsc = 0x10, kApicBase = 0x1b,
              kMiscEnable = 0x1a0;
constexpr u64 kEferSvme = 1u << 12, kEferLme = 1u << 8, kEferLma = 1u << 10;

void check_cpuid() {
    Cpuid l1 = cpuid(1);
    test::check(!(l1.ecx & (1u << 5)), "CPUID 1 ECX shows VMX");
    test::check(l1.ecx & (1u << 31), "CPUID 1 ECX lacks the hypervisor bit");
    test::check(!(cpuid(0x80000001).ecx & (1u << 2)), "CPUID 0x80000001 ECX shows SVM");
    Cpuid svm = cpuid(0x8000000a);
    test::check((svm.eax | svm.ebx | svm.ecx | svm.edx) == 0, "CPUID 0x8000000A is not empty");
    Cpuid sig = cpuid(0x40000000);
    char name[13] = {};
    __builtin_memcpy(name, &sig.ebx, 4);
    __builtin_memcpy(name + 4, &sig.ecx, 4);
    __builtin_memcpy(name + 8, &sig.edx, 4);
    test::check(__builtin_memcmp(name, "BulkheadHV  ", 12) == 0, "CPUID 0x40000000 says '%s'", name);
    // The zone's timers do not stop or change rate: ARAT, invariant TSC.
    test::check(cpuid(6).eax & (1u << 2), "CPUID 6 EAX lacks ARAT");
    test::check(cpuid(0x80000007).edx & (1u << 8), "CPUID 0x80000007 EDX lacks the invariant TSC");
    // No TSC_ADJUST: its MSR is refused.
    test::check(!(cpuid(7).ebx & (1u << 1)), "CPUID 7 EBX shows TSC_ADJUST");
    print("CPUID: no VMX, no SVM, hypervisor '%s', hypercalls by %s\n", name,
          cpuid(0x40000001).eax == 1 ? "VMMCALL" : "VMCALL");
}

// The PC ports Linux reads on its way up: each answer ends the loop it
// polls in (Linux 6.1 arch/x86/kernel/tsc.c, i8259.c, reboot.c) at once.
void check_legacy() {
    // quick_pit_calibrate polls counter 2 while its MSB reads 0xff.
    outb(0x43, 0xb0);
    outb(0x42, 0xff);
    outb(0x42, 0xff);
    BH_EXPECT_EQ(inb(0x42), 0);
    BH_EXPECT_EQ(inb(0x40), 0);
    // pit_calibrate_tsc polls port B until OUT2 (bit 5) rises.
    test::check(inb(0x61) & 0x20, "port 0x61 without OUT2");
    // probe_8259A: the mask it writes does not read back, so no PIC.
    outb(0x21, 0xff);
    test::check(inb(0x21) != 0xff, "an 8259 answers at 0x21");
    outb(0xa1, 0xff);
    test::check(inb(0xa1) != 0xff, "an 8259 answers at 0xa1");
    outb(0x80, 0x55); // POST: Linux's I/O delay
    // The i8042: nothing to read, input buffer empty (kb_wait ends at once).
    BH_EXPECT_EQ(inb(0x64) & 0x03, 0);
    BH_EXPECT_EQ(inb(0x60), 0);
    print("PIT counters read 0, OUT2 high, no 8259 answers, the i8042 is idle\n");
}

u8 cmos(u8 reg) {
    outb(0x70, reg);
    return inb(0x71);
}

bool valid_bcd(u8 v, unsigned lo, unsigned hi) {
    if ((v & 0xf) > 9 || (v >> 4) > 9) return false;
    unsigned n = (v >> 4) * 10 + (v & 0xf);
    return n >= lo && n <= hi;
}

unsigned from_bcd(u8 v) { return (v >> 4) * 10 + (v & 0xf); }

// The CMOS RTC shows the host's time (the emulators start theirs from the
// host's clock): BCD, 24-hour, never updating, valid; a zone cannot set it.
void check_rtc() {
    test::check(!(cmos(0x0a) & 0x80), "RTC status A shows an update in progress");
    BH_EXPECT_EQ(cmos(0x0b), 0x02);
    BH_EXPECT_EQ(cmos(0x0d), 0x80);
    const u8 sec = cmos(0x00), min = cmos(0x02), hour = cmos(0x04), wday = cmos(0x06), day = cmos(0x07),
             month = cmos(0x08), year = cmos(0x09), century = cmos(0x32);
    test::check(valid_bcd(sec, 0, 59) && valid_bcd(min, 0, 59) && valid_bcd(hour, 0, 23) && valid_bcd(wday, 1, 7) &&
                    valid_bcd(day, 1, 31) && valid_bcd(month, 1, 12) && valid_bcd(year, 0, 99),
                "RTC fields out of range: %x:%x:%x weekday %x, %x-%x-%x", hour, min, sec, wday, year, month, day);
    const unsigned full_year = from_bcd(century) * 100 + from_bcd(year);
    test::check(full_year >= 2024 && full_year < 2100, "RTC year %u", full_year);
    // Bit 7 of the index (NMI disable) selects the same register.
    outb(0x70, 0x80 | 0x0b);
    BH_EXPECT_EQ(inb(0x71), 0x02);
    // Writes to the time registers are dropped; CMOS RAM keeps what is written.
    outb(0x70, 0x09);
    outb(0x71, 0x42);
    BH_EXPECT_EQ(cmos(0x09), year);
    outb(0x70, 0x40);
    outb(0x71, 0xa5);
    BH_EXPECT_EQ(cmos(0x40), 0xa5);
    print("RTC: %u-%02x-%02x %02x:%02x:%02x UTC\n", full_year, month, day, hour, min, sec);
}

void check_ports() {
    struct Read {
        u16 port;
        u8 size;
        const char* what;
    };
    const Read reads[] = {
        {0x87, 1, "DMA page"},
        {0x4d0, 1, "ELCR"},
        {0x92, 1, "system control port A"},
        {0x3d4, 1, "VGA CRT index"},
        {0xcf8, 4, "PCI config address"},
        {0xcfc, 4, "PCI config data"},
        {0x604, 2, "ACPI PM (QEMU)"},
        {0xf4, 4, "isa-debug-exit"},
        {0x8900, 1, "Bochs shutdown"},
        {0x2f8, 1, "COM2"},
        {0x44, 1, "beyond the PIT"},
    };
    for (const Read& r : reads) {
        u32 v = r.size == 1 ? inb(r.port) : r.size == 2 ? inw(r.port) : inl(r.port);
        u32 ones = r.size == 4 ? 0xffffffffu : (1u << (8 * r.size)) - 1;
        test::check(v == ones, "in%c 0x%x (%s) returned 0x%x, expected all ones", "bwl"[r.size / 2], r.port, r.what, v);
    }
    // Each of these would end the emulator or reconfigure the machine if it
    // reached the hardware. Surviving them is the test.
    outl(0xf4, 1);                                                               // QEMU isa-debug-exit: exit status 3
    for (const char* s = "Shutdown"; *s; ++s) outb(0x8900, static_cast<u8>(*s)); // Bochs
    outw(0x604, 0x2000);                                                         // QEMU pc ACPI power off (SeaBIOS)
    outb(0xcf9, 0x06);                                                           // reset control: hard reset
    outl(0xcf8, 0x80000000);
    test::check(inl(0xcfc) == 0xffffffffu, "PCI config data readable after selecting 0:0.0");
    print("11 unassigned ports read all ones; writes to the power-off and reset ports were dropped\n");
    check_legacy();
    check_rtc();
    // The zone's own 16550: scratch register, line status, no interrupt.
    outb(0x3ff, 0x5a);
    BH_EXPECT_EQ(inb(0x3ff), 0x5a);
    BH_EXPECT_EQ(inb(0x3fd) & 0x60, 0x60);
    BH_EXPECT_EQ(inb(0x3fa) & 0x0f, 0x01);
}

void expect_gp(const probe::Result& r, const char* what, u32 msr) {
    test::check(r.faulted && r.vector == probe::kVectorGp, "%s 0x%x: %s", what, msr,
                r.faulted ? "a fault other than #GP" : "no #GP");
}

void check_msrs() {
    const u32 refused[] = {0x803 /* x2APIC version, while in xAPIC mode */,
                           0xfe /* MTRRcap */,
                           0x3a /* FEATURE_CONTROL */,
                           0xc0010114 /* VM_CR */,
                           0xc0010117 /* VM_HSAVE_PA */,
                           0xc0010010 /* SYSCFG */,
                           0x480 /* VMX_BASIC */};
    for (u32 m : refused) {
        expect_gp(probe::rdmsr(m), "rdmsr", m);
        expect_gp(probe::wrmsr(m, 0), "wrmsr", m);
    }
    probe::Result efer = probe::rdmsr(kEfer);
    if (test::check(!efer.faulted, "rdmsr EFER faulted")) {
        test::check((efer.value & (kEferLme | kEferLma)) == (kEferLme | kEferLma), "EFER 0x%llx: not in long mode",
                    static_cast<ull>(efer.value));
        test::check(!(efer.value & kEferSvme), "EFER 0x%llx shows SVME", static_cast<ull>(efer.value));
        expect_gp(probe::wrmsr(kEfer, efer.value | kEferSvme), "wrmsr EFER.SVME", kEfer);
        test::check(!probe::wrmsr(kEfer, efer.value).faulted, "rewriting EFER unchanged faulted");
    }
    // The zone's own local APIC: APIC_BASE at 0xFEE00000, enabled, BSP; no
    // relocation, no x2APIC-only mode without the enable bit.
    probe::Result base = probe::rdmsr(kApicBase);
    if (test::check(!base.faulted, "rdmsr APIC_BASE faulted")) {
        BH_EXPECT_EQ(base.value, 0xfee00000ull | (1u << 11) | (1u << 8));
        expect_gp(probe::wrmsr(kApicBase, (base.value & 0xfff) | 0xfed00000), "wrmsr APIC_BASE relocated", kApicBase);
        expect_gp(probe::wrmsr(kApicBase, 0xfee00000ull | (1u << 10)), "wrmsr APIC_BASE x2APIC while disabled",
                  kApicBase);
        BH_EXPECT_EQ(probe::rdmsr(kApicBase).value, base.value);
    }
    // IA32_MISC_ENABLE reads (Linux's decompressor reads it unguarded on
    // Intel, before it has an IDT): fast strings, no BTS, no PEBS, XD not
    // disabled; rewriting that value is accepted, changing it is not.
    probe::Result misc = probe::rdmsr(kMiscEnable);
    if (test::check(!misc.faulted, "rdmsr MISC_ENABLE faulted")) {
        BH_EXPECT_EQ(misc.value, (1ull << 0) | (1ull << 11) | (1ull << 12));
        test::check(!probe::wrmsr(kMiscEnable, misc.value).faulted, "rewriting MISC_ENABLE unchanged faulted");
        expect_gp(probe::wrmsr(kMiscEnable, misc.value | (1ull << 34)), "wrmsr MISC_ENABLE.XD_DISABLE", kMiscEnable);
    }
    expect_gp(probe::wrmsr(kTsc, 0), "wrmsr", kTsc);
    test::check(!probe::rdmsr(kTsc).faulted, "rdmsr TSC faulted");
    expect_gp(probe::wrmsr(kPat, 0x0202020202020202ull), "wrmsr PAT with reserved types", kPat);
    const u64 pat = 0x0007010600070106ull;
    test::check(!probe::wrmsr(kPat, pat).faulted, "wrmsr PAT faulted");
    BH_EXPECT_EQ(probe::rdmsr(kPat).value, pat);
    test::check(!probe::wrmsr(kFsBase, 0x12345000).faulted, "wrmsr FS_BASE faulted");
    BH_EXPECT_EQ(probe::rdmsr(kFsBase).value, 0x12345000ull);
    probe::wrmsr(kFsBase, 0);
    print("MSRs: 7 refused with #GP both ways; MISC_ENABLE fixed; EFER hides SVME and refuses it; PAT, FS_BASE, TSC "
          "work\n");
}

} // namespace

// CR0.NE is one of the bits VMX operation fixes to 1: a zone clearing it
// (Linux's PVH entry writes CR0 = PG | PE) must see its own value back and
// go on running, on either back end; it is restored after.
void check_cr0() {
    u64 cr0;
    asm volatile("mov %%cr0, %0" : "=r"(cr0));
    const u64 kNe = 1u << 5;
    u64 without = cr0 & ~kNe, seen;
    asm volatile("mov %1, %%cr0; mov %%cr0, %0" : "=r"(seen) : "r"(without) : "memory");
    BH_EXPECT_EQ(seen, without);
    asm volatile("mov %1, %%cr0; mov %%cr0, %0" : "=r"(seen) : "r"(cr0) : "memory");
    BH_EXPECT_EQ(seen, cr0);
    print("CR0: NE cleared and set again by the zone, read back as written\n");
}

extern "C" void zone_main(u64) {
    test::begin("ports-msrs");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    check_cpuid();
    check_ports();
    check_msrs();
    check_cr0();
    test::finish();
}
