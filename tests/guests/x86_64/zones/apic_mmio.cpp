// SPDX-License-Identifier: GPL-2.0-only
// The zone's local APIC through its xAPIC page: the MMIO instruction
// emulation (register reads and writes in the forms compilers and
// assemblers produce, one straddling a page boundary, sub-word reads), and
// what it refuses: a read-modify-write and a string move on the page get
// the fault policy (#GP), logged, and the zone goes on.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/lapic.hpp>
#include <guest/probe.hpp>
#include <guest/testing.hpp>

using namespace bh;
using ull = unsigned long long;

extern "C" {
u32 apic_read_sib(u64 page);
u32 apic_read_r9(u64 page);
u32 apic_read_byte(u64 page, u64 offset);
u32 apic_read_word(u64 page, u64 offset);
void apic_write_tpr_imm(u64 page);
u32 apic_read_straddling(u64 page);
}

namespace {

constexpr u64 kPage = lapic::kMmioBase;
constexpr u32 kVersion = 0x00050014;

void check_forms() {
    BH_EXPECT_EQ(lapic::read(lapic::kVersion), u64(kVersion)); // a plain mov from a volatile pointer
    BH_EXPECT_EQ(apic_read_sib(kPage), kVersion);
    BH_EXPECT_EQ(apic_read_r9(kPage), kVersion);
    BH_EXPECT_EQ(apic_read_straddling(kPage), kVersion);
    BH_EXPECT_EQ(apic_read_byte(kPage, lapic::kVersion), 0x14u);
    BH_EXPECT_EQ(apic_read_byte(kPage, lapic::kVersion + 2), 0x05u);
    BH_EXPECT_EQ(apic_read_word(kPage, lapic::kVersion), 0x0014u);
    BH_EXPECT_EQ(apic_read_word(kPage, lapic::kVersion + 2), 0x0005u);
    BH_EXPECT_EQ(apic_read_byte(kPage, lapic::kVersion + 4), 0u); // past the register's 32 bits
    apic_write_tpr_imm(kPage);
    BH_EXPECT_EQ(lapic::read(lapic::kTpr), 0x20ull);
    lapic::write(lapic::kTpr, 0);
    BH_EXPECT_EQ(lapic::read(lapic::kTpr), 0ull);
    BH_EXPECT_EQ(lapic::read(lapic::kId), 0ull); // vCPU 0: ID 0 in bits 31:24
    print("loads (SIB, REX.R, MOVZX, 16-bit, straddling two pages) and an immediate store were emulated\n");
}

void expect_gp(const probe::Result& r, const char* what) {
    test::check(r.faulted && r.vector == probe::kVectorGp, "%s on the APIC page: %s", what,
                r.faulted ? "a fault other than #GP" : "no fault");
}

void check_refused() {
    // ADD to memory reads and writes the register in one instruction: not
    // a plain load or store, so not half-emulated.
    expect_gp(probe::add32(kPage + lapic::kTpr, 1), "ADD");
    BH_EXPECT_EQ(lapic::read(lapic::kTpr), 0ull);
    expect_gp(probe::movs32(kPage + lapic::kVersion), "MOVS");
    print("a read-modify-write and a string move on the APIC page got #GP\n");
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("apic-mmio");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    lapic::init(false);
    check_forms();
    check_refused();
    check_forms(); // the zone and its APIC are fine afterwards
    test::finish();
}
