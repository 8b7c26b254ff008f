// SPDX-License-Identifier: GPL-2.0-only
// What an x86 zone sees of the machine beyond memory: CPUID without
// virtualization extensions; only its own 16550 among the I/O ports (every
// other port reads all ones and swallows writes, including the emulators'
// power-off ports, so this zone cannot end the machine); MSRs limited to
// what the hypervisor switches or emulates, everything else #GP.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/probe.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u32 kEfer = 0xc0000080, kPat = 0x277, kFsBase = 0xc0000100, kTsc = 0x10, kApicBase = 0x1b;
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
    print("CPUID: no VMX, no SVM, hypervisor '%s', hypercalls by %s\n", name,
          cpuid(0x40000001).eax == 1 ? "VMMCALL" : "VMCALL");
}

void check_ports() {
    struct Read {
        u16 port;
        u8 size;
        const char* what;
    };
    const Read reads[] = {
        {0x60, 1, "keyboard data"},
        {0x64, 1, "keyboard status"},
        {0x70, 1, "CMOS index"},
        {0x71, 1, "CMOS data"},
        {0xcf8, 4, "PCI config address"},
        {0xcfc, 4, "PCI config data"},
        {0x604, 2, "ACPI PM (QEMU)"},
        {0xf4, 4, "isa-debug-exit"},
        {0x8900, 1, "Bochs shutdown"},
        {0x2f8, 1, "COM2"},
        {0x40, 1, "PIT"},
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
    outb(0x64, 0xfe);                                                            // keyboard controller: CPU reset
    outl(0xcf8, 0x80000000);
    test::check(inl(0xcfc) == 0xffffffffu, "PCI config data readable after selecting 0:0.0");
    print("11 unassigned ports read all ones; writes to the power-off and reset ports were dropped\n");
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
                           0x480 /* VMX_BASIC */,
                           0x1a0 /* MISC_ENABLE */};
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
    expect_gp(probe::wrmsr(kTsc, 0), "wrmsr", kTsc);
    test::check(!probe::rdmsr(kTsc).faulted, "rdmsr TSC faulted");
    expect_gp(probe::wrmsr(kPat, 0x0202020202020202ull), "wrmsr PAT with reserved types", kPat);
    const u64 pat = 0x0007010600070106ull;
    test::check(!probe::wrmsr(kPat, pat).faulted, "wrmsr PAT faulted");
    BH_EXPECT_EQ(probe::rdmsr(kPat).value, pat);
    test::check(!probe::wrmsr(kFsBase, 0x12345000).faulted, "wrmsr FS_BASE faulted");
    BH_EXPECT_EQ(probe::rdmsr(kFsBase).value, 0x12345000ull);
    probe::wrmsr(kFsBase, 0);
    print("MSRs: 8 refused with #GP both ways; EFER hides SVME and refuses it; PAT, FS_BASE, TSC work\n");
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("ports-msrs");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    check_cpuid();
    check_ports();
    check_msrs();
    test::finish();
}
