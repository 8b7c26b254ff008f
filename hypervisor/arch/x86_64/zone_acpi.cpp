// SPDX-License-Identifier: GPL-2.0-only
// build_zone_acpi: RSDP, XSDT, FADT, MADT, then the DSDT, each table
// starting on a 16-byte boundary.
#include "zone_acpi_tables.hpp"

#include <arch/acpi_sleep.hpp>
#include <arch/cmos_time.hpp>
#include <arch/i8042.hpp>
#include <bulkhead/abi/hypercall.h>

namespace bh::x86_64 {
namespace {

using namespace acpi;

static_assert(VirtualIoApic::kId >= BH_ZONE_VCPUS_MAX && VirtualIoApic::kId < 16,
              "the I/O APIC's id must not be a vCPU's local APIC id, and fits its 4-bit ID register");

constexpr char kOem[6] = {'B', 'L', 'K', 'H', 'D', ' '};
constexpr char kOemTable[8] = {'B', 'H', 'Z', 'O', 'N', 'E', ' ', ' '};
constexpr char kCreator[4] = {'B', 'L', 'K', 'H'};
constexpr u8 kFadtRevision = 6, kFadtMinor = 5; // ACPI 6.5
constexpr u8 kMadtRevision = 5, kXsdtRevision = 1;
// Reset: the i8042's "pulse reset line" command, which ends the zone
// (i8042.hpp); Linux's ACPI reboot method then needs no fallback.
constexpr u8 kResetValue = 0xfe;
static_assert(I8042::command_resets(kResetValue));

constexpr usize kTableAlign = 16;

void copy(char* dst, const char* src, usize n) {
    for (usize i = 0; i < n; ++i) dst[i] = src[i];
}

void zero(void* p, usize n) {
    for (usize i = 0; i < n; ++i) static_cast<u8*>(p)[i] = 0;
}

// Whether every interrupt the tables name reaches a pin of the I/O APIC
// (its pin count is not in the MADT: Linux reads it from the I/O APIC).
bool interrupts_fit(const ZoneAcpiConfig& c) {
    if (c.uart_irq >= c.ioapic_pins) return false;
    if (c.event_gsi >= static_cast<int>(c.ioapic_pins)) return false;
    for (u32 i = 0; i < c.virtio_count; ++i)
        if (c.virtio[i].gsi >= c.ioapic_pins) return false;
    return true;
}

usize madt_length(const ZoneAcpiConfig& c) {
    return sizeof(MadtHeader) + c.vcpus * sizeof(MadtLapic) + sizeof(MadtIoApic);
}

void write_madt(const ZoneAcpiConfig& c, u8* p) {
    zero(p, madt_length(c));
    auto* m = reinterpret_cast<MadtHeader*>(p);
    m->lapic_address = static_cast<u32>(c.lapic_base);
    m->flags = 0; // no PC-AT 8259s: Linux then uses the I/O APIC alone
    u8* e = p + sizeof(MadtHeader);
    for (u32 i = 0; i < c.vcpus; ++i, e += sizeof(MadtLapic)) {
        auto* l = reinterpret_cast<MadtLapic*>(e);
        l->type = kMadtLapic;
        l->length = sizeof(MadtLapic);
        l->processor_uid = static_cast<u8>(i);
        l->apic_id = static_cast<u8>(i); // the vCPU index, as CPUID says
        l->flags = kLapicEnabled;
    }
    auto* io = reinterpret_cast<MadtIoApic*>(e);
    io->type = kMadtIoApic;
    io->length = sizeof(MadtIoApic);
    io->id = c.ioapic_id;
    io->address = static_cast<u32>(c.ioapic_base);
    io->gsi_base = 0;
    acpi_seal_table(m->header, "APIC", kMadtRevision, madt_length(c));
}

void write_fadt(u8* p, u64 dsdt) {
    zero(p, sizeof(Fadt));
    auto* f = reinterpret_cast<Fadt*>(p);
    // Hardware-reduced: no SCI, PM1 blocks, PM timer, GPEs or FACS. Linux
    // then installs no 8259 (has_legacy_pic() is false) and so never
    // calibrates against the PIT.
    f->flags = kFadtWbinvd | kFadtPowerButton | kFadtSleepButton | kFadtFixedRtc | kFadtResetRegister | kFadtHwReduced;
    // Every device is in the DSDT (no LEGACY_DEVICES), no i8042 for the OS
    // to drive (the zone's answers only the reset command), no VGA, no MSI
    // (zones have no PCI). The CMOS RTC is present (NO_CMOS_RTC clear), so
    // Linux reads the time from it at boot.
    f->iapc_boot_arch = kBootNoVga | kBootNoMsi;
    f->century = cmos::kCentury; // the RTC model's century register
    f->reset_reg = {kSpaceSystemIo, 8, 0, 1, I8042::kCommandPort};
    f->reset_value = kResetValue;
    // Soft-off through the sleep registers (acpi_sleep.hpp), with \_S5.
    f->sleep_control_reg = {kSpaceSystemIo, 8, 0, 1, AcpiSleep::kControlPort};
    f->sleep_status_reg = {kSpaceSystemIo, 8, 0, 1, AcpiSleep::kStatusPort};
    f->minor_version = kFadtMinor;
    f->dsdt = dsdt <= 0xffffffffu ? static_cast<u32>(dsdt) : 0;
    f->x_dsdt = dsdt;
    acpi_seal_table(f->header, "FACP", kFadtRevision, sizeof(Fadt));
}

void write_rsdp(u8* p, u64 xsdt) {
    zero(p, sizeof(Rsdp));
    auto* r = reinterpret_cast<Rsdp*>(p);
    copy(r->signature, "RSD PTR ", 8);
    copy(r->oem, kOem, sizeof kOem);
    r->revision = 2;
    r->rsdt = 0; // the XSDT only, as ACPI 2.0 allows
    r->length = sizeof(Rsdp);
    r->xsdt = xsdt;
    r->checksum = checksum_of(r, kRsdpV1Length);
    r->ext_checksum = checksum_of(r, sizeof(Rsdp));
}

} // namespace

void acpi_seal_table(SdtHeader& h, const char* signature, u8 revision, usize length) {
    copy(h.signature, signature, 4);
    h.length = static_cast<u32>(length);
    h.revision = revision;
    copy(h.oem, kOem, sizeof kOem);
    copy(h.oem_table, kOemTable, sizeof kOemTable);
    h.oem_revision = 1;
    copy(h.creator, kCreator, sizeof kCreator);
    h.creator_revision = 1;
    h.checksum = 0;
    h.checksum = checksum_of(&h, length);
}

usize build_zone_acpi(const ZoneAcpiConfig& c, GuestPhys at, u8* buf, usize size) {
    if (c.vcpus == 0 || c.vcpus > 255 || !interrupts_fit(c)) return 0;
    const usize xsdt_off = align_up(sizeof(Rsdp), kTableAlign);
    const usize xsdt_len = sizeof(SdtHeader) + 2 * sizeof(u64);
    const usize fadt_off = align_up(xsdt_off + xsdt_len, kTableAlign);
    const usize madt_off = align_up(fadt_off + sizeof(Fadt), kTableAlign);
    const usize dsdt_off = align_up(madt_off + madt_length(c), kTableAlign);
    if (size < dsdt_off) return 0;
    const usize dsdt_len = write_zone_dsdt(c, buf + dsdt_off, size - dsdt_off);
    if (dsdt_len == 0) return 0;

    write_madt(c, buf + madt_off);
    write_fadt(buf + fadt_off, at.raw() + dsdt_off);
    zero(buf + xsdt_off, xsdt_len);
    const u64 entries[2] = {at.raw() + fadt_off, at.raw() + madt_off};
    __builtin_memcpy(buf + xsdt_off + sizeof(SdtHeader), entries, sizeof entries);
    acpi_seal_table(*reinterpret_cast<SdtHeader*>(buf + xsdt_off), "XSDT", kXsdtRevision, xsdt_len);
    write_rsdp(buf, at.raw() + xsdt_off);
    // The gaps between tables: zero, so the result depends on nothing else.
    zero(buf + sizeof(Rsdp), xsdt_off - sizeof(Rsdp));
    zero(buf + xsdt_off + xsdt_len, fadt_off - xsdt_off - xsdt_len);
    zero(buf + fadt_off + sizeof(Fadt), madt_off - fadt_off - sizeof(Fadt));
    zero(buf + madt_off + madt_length(c), dsdt_off - madt_off - madt_length(c));
    return dsdt_off + dsdt_len;
}

} // namespace bh::x86_64
