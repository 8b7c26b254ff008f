// SPDX-License-Identifier: GPL-2.0-only
// The ACPI tables of an x86 zone (zone_acpi.hpp), parsed back: the RSDP's
// and every table's checksum, signatures and lengths, the XSDT's pointers,
// one MADT local APIC per vCPU and the I/O APIC, the hardware-reduced
// FADT, and the DSDT's AML byte for byte (and, where iasl is installed, as
// iasl disassembles and reassembles it).
#include <arch/acpi_layout.hpp>
#include <arch/acpi_sleep.hpp>
#include <arch/aml_writer.hpp>
#include <arch/zone_acpi.hpp>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace bh;
using namespace bh::x86_64;
using namespace bh::x86_64::acpi;

namespace {

constexpr u64 kAt = kZoneAcpiBase.raw();

struct Built {
    std::vector<u8> buf = std::vector<u8>(kZoneAcpiMaxBytes, 0xcc);
    usize used = 0;

    explicit Built(const ZoneAcpiConfig& c) { used = build_zone_acpi(c, kZoneAcpiBase, buf.data(), buf.size()); }

    // The table at guest-physical `pa`, checked to lie inside what was written.
    const SdtHeader& table(u64 pa) const {
        REQUIRE(pa >= kAt);
        REQUIRE(pa - kAt + sizeof(SdtHeader) <= used);
        const auto& h = *reinterpret_cast<const SdtHeader*>(buf.data() + (pa - kAt));
        REQUIRE(pa - kAt + h.length <= used);
        return h;
    }
    const Rsdp& rsdp() const { return *reinterpret_cast<const Rsdp*>(buf.data()); }
    const SdtHeader& xsdt() const { return table(rsdp().xsdt); }
    u64 xsdt_entry(unsigned i) const {
        u64 e;
        std::memcpy(&e, reinterpret_cast<const u8*>(&xsdt()) + sizeof(SdtHeader) + 8 * i, 8);
        return e;
    }
    // The table the XSDT lists with this signature.
    const SdtHeader& find(const char* sig) const {
        const unsigned n = (xsdt().length - sizeof(SdtHeader)) / 8;
        for (unsigned i = 0; i < n; ++i) {
            const SdtHeader& t = table(xsdt_entry(i));
            if (std::memcmp(t.signature, sig, 4) == 0) return t;
        }
        FAIL("no " << sig << " in the XSDT");
        return xsdt();
    }
    const Fadt& fadt() const { return reinterpret_cast<const Fadt&>(find("FACP")); }
    const SdtHeader& dsdt() const { return table(fadt().x_dsdt); }
};

bool sums_to_zero(const void* p, usize n) { return checksum_of(p, n) == 0; }

void check_table(const SdtHeader& t, const char* sig) {
    CHECK(std::string(t.signature, 4) == sig);
    CHECK(sums_to_zero(&t, t.length));
    CHECK(std::string(t.oem, 6) == "BLKHD ");
}

} // namespace

TEST_CASE("zone ACPI: RSDP, XSDT and checksums", "[x86][acpi]") {
    Built b{ZoneAcpiConfig{}};
    REQUIRE(b.used > 0);
    REQUIRE(b.used <= kZoneAcpiMaxBytes);
    const Rsdp& r = b.rsdp();
    CHECK(std::string(r.signature, 8) == "RSD PTR ");
    CHECK(r.revision == 2);
    CHECK(r.length == sizeof(Rsdp));
    CHECK(sums_to_zero(&r, kRsdpV1Length));
    CHECK(sums_to_zero(&r, sizeof(Rsdp)));
    CHECK(r.rsdt == 0);
    CHECK(r.xsdt % 16 == 0);
    check_table(b.xsdt(), "XSDT");
    CHECK(b.xsdt().length == sizeof(SdtHeader) + 2 * 8);
    check_table(b.table(b.xsdt_entry(0)), "FACP");
    check_table(b.table(b.xsdt_entry(1)), "APIC");
    check_table(b.dsdt(), "DSDT");
    // Tables start 16-byte aligned and the last one ends where the count says.
    for (u64 pa : {b.xsdt_entry(0), b.xsdt_entry(1), b.fadt().x_dsdt}) CHECK(pa % 16 == 0);
    CHECK(b.fadt().x_dsdt - kAt + b.dsdt().length == b.used);
    // At another address only the pointers move.
    std::vector<u8> other(kZoneAcpiMaxBytes);
    REQUIRE(build_zone_acpi(ZoneAcpiConfig{}, GuestPhys(0x100000), other.data(), other.size()) == b.used);
    CHECK(reinterpret_cast<const Rsdp*>(other.data())->xsdt == b.rsdp().xsdt - kAt + 0x100000);
}

TEST_CASE("zone ACPI: the MADT has one enabled local APIC per vCPU and the I/O APIC", "[x86][acpi]") {
    for (u32 vcpus = 1; vcpus <= 8; ++vcpus) {
        ZoneAcpiConfig c;
        c.vcpus = vcpus;
        Built b{c};
        REQUIRE(b.used > 0);
        const SdtHeader& h = b.find("APIC");
        check_table(h, "APIC");
        const auto& m = reinterpret_cast<const MadtHeader&>(h);
        CHECK(m.lapic_address == 0xfee00000);
        CHECK((m.flags & kMadtPcatCompat) == 0); // no 8259s
        const u8* p = reinterpret_cast<const u8*>(&m);
        u32 lapics = 0, ioapics = 0;
        for (usize off = sizeof(MadtHeader); off < h.length;) {
            const u8 type = p[off], len = p[off + 1];
            REQUIRE(len >= 2);
            REQUIRE(off + len <= h.length);
            if (type == kMadtLapic) {
                REQUIRE(len == sizeof(MadtLapic));
                const auto& l = *reinterpret_cast<const MadtLapic*>(p + off);
                CHECK(l.apic_id == lapics);
                CHECK(l.processor_uid == lapics);
                CHECK(l.flags == kLapicEnabled);
                ++lapics;
            } else if (type == kMadtIoApic) {
                REQUIRE(len == sizeof(MadtIoApic));
                const auto& io = *reinterpret_cast<const MadtIoApic*>(p + off);
                CHECK(io.id == VirtualIoApic::kId);
                CHECK(io.id >= 8); // no vCPU's APIC id
                CHECK(io.address == 0xfec00000);
                CHECK(io.gsi_base == 0);
                ++ioapics;
            } else {
                FAIL("unexpected MADT entry type " << int(type));
            }
            off += len;
        }
        CHECK(lapics == vcpus);
        CHECK(ioapics == 1);
    }
}

TEST_CASE("zone ACPI: the FADT is hardware-reduced, with the RTC and without a PM timer", "[x86][acpi]") {
    Built b{ZoneAcpiConfig{}};
    const Fadt& f = b.fadt();
    check_table(f.header, "FACP");
    CHECK(f.header.length == sizeof(Fadt));
    CHECK(f.header.revision >= 5);
    CHECK(f.minor_version == 5);
    CHECK(f.flags & kFadtHwReduced);
    CHECK(f.sci_int == 0);
    CHECK(f.smi_cmd == 0);
    CHECK(f.pm_tmr_blk == 0);
    CHECK(f.pm_tmr_len == 0);
    CHECK(f.x_pm_tmr_blk.address == 0);
    CHECK(f.pm1a_evt_blk == 0);
    CHECK(f.pm1a_cnt_blk == 0);
    CHECK(f.firmware_ctrl == 0); // no FACS
    CHECK(f.x_firmware_ctrl == 0);
    CHECK(f.x_dsdt == f.dsdt);
    CHECK((f.iapc_boot_arch & kBootNoCmosRtc) == 0); // Linux reads the RTC
    CHECK(f.iapc_boot_arch & kBootNoVga);
    CHECK((f.iapc_boot_arch & kBoot8042) == 0); // not for the OS to drive
    CHECK((f.iapc_boot_arch & kBootLegacyDevices) == 0);
    CHECK(f.century == 0x32);
    // Soft-off: the sleep control and status registers, 8-bit ports.
    CHECK(f.sleep_control_reg.space_id == kSpaceSystemIo);
    CHECK(f.sleep_control_reg.address == AcpiSleep::kControlPort);
    CHECK(f.sleep_control_reg.bit_width == 8);
    CHECK(f.sleep_status_reg.address == AcpiSleep::kStatusPort);
    // Reset: the i8042's 0xFE at port 0x64.
    CHECK(f.flags & kFadtResetRegister);
    CHECK(f.reset_reg.space_id == kSpaceSystemIo);
    CHECK(f.reset_reg.address == 0x64);
    CHECK(f.reset_value == 0xfe);
}

TEST_CASE("zone ACPI: too small a buffer, or a configuration ACPI cannot say, gives 0", "[x86][acpi]") {
    ZoneAcpiVirtio v[2] = {{0x08000000, 0x200, 16}, {0x08000200, 0x200, 17}};
    ZoneAcpiConfig c;
    c.vcpus = 4;
    c.virtio = v;
    c.virtio_count = 2;
    Built full{c};
    REQUIRE(full.used > 0);
    for (usize size : {usize(0), usize(35), usize(100), full.used / 2, full.used - 1}) {
        std::vector<u8> buf(size + 1);
        CHECK(build_zone_acpi(c, kZoneAcpiBase, buf.data(), size) == 0);
    }
    std::vector<u8> exact(full.used);
    CHECK(build_zone_acpi(c, kZoneAcpiBase, exact.data(), exact.size()) == full.used);
    CHECK(std::memcmp(exact.data(), full.buf.data(), full.used) == 0);
    ZoneAcpiConfig bad = c;
    bad.vcpus = 0;
    CHECK(build_zone_acpi(bad, kZoneAcpiBase, exact.data(), exact.size()) == 0);
    bad = c;
    bad.uart_irq = 16;
    CHECK(build_zone_acpi(bad, kZoneAcpiBase, exact.data(), exact.size()) == 0);
    ZoneAcpiVirtio beyond[2] = {v[0], {0x08000200, 0x200, 64}}; // the I/O APIC has pins 0-63
    bad = c;
    bad.virtio = beyond;
    CHECK(build_zone_acpi(bad, kZoneAcpiBase, exact.data(), exact.size()) == 0);
    bad = c;
    bad.event_gsi = 64;
    CHECK(build_zone_acpi(bad, kZoneAcpiBase, exact.data(), exact.size()) == 0);
}

TEST_CASE("zone ACPI: many virtio windows still fit in 64 KiB", "[x86][acpi]") {
    std::vector<ZoneAcpiVirtio> v;
    for (u32 i = 0; i < 32; ++i) v.push_back({0x08000000 + 0x200ull * i, 0x200, 16 + i % 8});
    v.push_back({0x1000000000ull, 0x1000, 23}); // above 4 GiB: a QWord descriptor
    ZoneAcpiConfig c;
    c.vcpus = 8;
    c.virtio = v.data();
    c.virtio_count = static_cast<u32>(v.size());
    Built b{c};
    REQUIRE(b.used > 0);
    check_table(b.dsdt(), "DSDT");
    CHECK(b.dsdt().length > 1000); // two-byte PkgLengths
}

namespace {

// The DSDT's AML for a 1-vCPU zone with one virtio window at 0x08000000
// (0x200 bytes, GSI 16), as ASL:
//   Name (_S5, Package (0x04) { 0x05, 0x05, Zero, Zero })
//   Scope (\_SB) {
//     Device (COM1) { Name (_HID, EisaId ("PNP0501")) Name (_UID, Zero)
//       Name (_CRS, ResourceTemplate () { IO (Decode16, 0x3F8, 0x3F8, 1, 8) IRQNoFlags () {4} }) }
//     Device (RTC) { Name (_HID, EisaId ("PNP0B00"))
//       Name (_CRS, ResourceTemplate () { IO (Decode16, 0x70, 0x70, 1, 2) }) }
//     Device (VR00) { Name (_HID, "LNRO0005") Name (_UID, Zero)
//       Name (_CRS, ResourceTemplate () { Memory32Fixed (ReadWrite, 0x08000000, 0x200)
//         Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) {16} }) } }
const u8 kExpectedAml[] = {
    0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00, // Name (_S5, Package)
    0x10, 0x43, 0x09, '_', 'S', 'B', '_', // Scope (\_SB, from the root), PkgLength 0x93 (two bytes)
    // COM1
    0x5b, 0x82, 0x2b, 'C', 'O', 'M', '1',                   //
    0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x05, 0x01, // EisaId ("PNP0501")
    0x08, '_', 'U', 'I', 'D', 0x00,                         //
    0x08, '_', 'C', 'R', 'S', 0x11, 0x10, 0x0a, 0x0d,       // Buffer (13)
    0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08,         // IO
    0x22, 0x10, 0x00,                                       // IRQNoFlags {4}
    0x79, 0x00,                                             // end tag
    // RTC_
    0x5b, 0x82, 0x22, 'R', 'T', 'C', '_',                   //
    0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0b, 0x00, // EisaId ("PNP0B00")
    0x08, '_', 'C', 'R', 'S', 0x11, 0x0d, 0x0a, 0x0a,       // Buffer (10)
    0x47, 0x01, 0x70, 0x00, 0x70, 0x00, 0x01, 0x02,         // IO
    0x79, 0x00,                                             //
    // VR00
    0x5b, 0x82, 0x3a, 'V', 'R', '0', '0',                                         //
    0x08, '_', 'H', 'I', 'D', 0x0d, 'L', 'N', 'R', 'O', '0', '0', '0', '5', 0x00, //
    0x08, '_', 'U', 'I', 'D', 0x00,                                               //
    0x08, '_', 'C', 'R', 'S', 0x11, 0x1a, 0x0a, 0x17,                             // Buffer (23)
    0x86, 0x09, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00,       // Memory32Fixed
    0x89, 0x06, 0x00, 0x03, 0x01, 0x10, 0x00, 0x00, 0x00,                         // Interrupt
    0x79, 0x00,                                                                   //
};

std::string run(const std::string& cmd) {
    std::string out;
    FILE* f = popen(cmd.c_str(), "r");
    if (!f) return out;
    char buf[4096];
    for (usize n; (n = fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    pclose(f);
    return out;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

TEST_CASE("zone ACPI: the DSDT's AML, byte for byte", "[x86][acpi]") {
    const ZoneAcpiVirtio v{0x08000000, 0x200, 16};
    ZoneAcpiConfig c;
    c.virtio = &v;
    c.virtio_count = 1;
    Built b{c};
    REQUIRE(b.used > 0);
    const SdtHeader& d = b.dsdt();
    check_table(d, "DSDT");
    CHECK(d.revision == 2);
    REQUIRE(d.length == sizeof(SdtHeader) + sizeof kExpectedAml);
    const u8* aml = reinterpret_cast<const u8*>(&d) + sizeof(SdtHeader);
    for (usize i = 0; i < sizeof kExpectedAml; ++i) {
        INFO("AML byte " << i);
        CHECK(aml[i] == kExpectedAml[i]);
    }

    // iasl (Debian's acpica-tools), where installed: its disassembly names
    // the devices, and assembling that again gives the same AML.
    if (run("command -v iasl").empty()) {
        WARN("iasl not installed (acpica-tools): the DSDT was not disassembled");
        return;
    }
    char dir[] = "/tmp/bh-dsdt-XXXXXX";
    REQUIRE(mkdtemp(dir));
    const std::string base = std::string(dir) + "/dsdt";
    {
        std::ofstream out(base + ".aml", std::ios::binary);
        out.write(reinterpret_cast<const char*>(&d), d.length);
    }
    run("cd " + std::string(dir) + " && iasl -d dsdt.aml 2>&1");
    const std::string dsl = slurp(base + ".dsl");
    INFO(dsl);
    CHECK(dsl.find("Device (COM1)") != std::string::npos);
    CHECK(dsl.find("EisaId (\"PNP0501\")") != std::string::npos);
    CHECK(dsl.find("Device (RTC)") != std::string::npos);
    CHECK(dsl.find("EisaId (\"PNP0B00\")") != std::string::npos);
    CHECK(dsl.find("Device (VR00)") != std::string::npos);
    CHECK(dsl.find("\"LNRO0005\"") != std::string::npos);
    CHECK(dsl.find("Name (_S5, Package") != std::string::npos);
    CHECK(dsl.find("Memory32Fixed (ReadWrite,") != std::string::npos);
    CHECK(dsl.find("Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive, ,, )") != std::string::npos);
    run("cd " + std::string(dir) + " && iasl -p again dsdt.dsl 2>&1");
    const std::string again = slurp(std::string(dir) + "/again.aml");
    REQUIRE(again.size() == d.length);
    CHECK(std::memcmp(again.data() + sizeof(SdtHeader), aml, sizeof kExpectedAml) == 0);
    run("rm -rf " + std::string(dir));
}

TEST_CASE("aml: PkgLength encodings", "[x86][acpi]") {
    u8 e[4];
    CHECK(aml_pkg_length(0, e) == 1);
    CHECK(e[0] == 1);
    CHECK(aml_pkg_length(62, e) == 1);
    CHECK(e[0] == 63);
    // 63 bytes of contents: 65 with a two-byte PkgLength.
    REQUIRE(aml_pkg_length(63, e) == 2);
    CHECK(e[0] == (0x40 | (65 & 0xf)));
    CHECK(e[1] == 65 >> 4);
    REQUIRE(aml_pkg_length(4093, e) == 2); // 4095: the most two bytes hold
    CHECK(e[0] == 0x4f);
    CHECK(e[1] == 0xff);
    REQUIRE(aml_pkg_length(4094, e) == 3);
    CHECK(e[0] == (0x80 | (4097 & 0xf)));
    CHECK(e[1] == ((4097 >> 4) & 0xff));
    CHECK(e[2] == 4097 >> 12);
    // Integers take their shortest form.
    u8 buf[16];
    auto enc = [&](u64 v) {
        AmlWriter w(buf, sizeof buf);
        w.integer(v);
        return std::vector<u8>(buf, buf + w.size());
    };
    CHECK(enc(0) == std::vector<u8>{0x00});
    CHECK(enc(1) == std::vector<u8>{0x01});
    CHECK(enc(2) == std::vector<u8>{0x0a, 0x02});
    CHECK(enc(0x1234) == std::vector<u8>{0x0b, 0x34, 0x12});
    CHECK(enc(0x12345678) == std::vector<u8>{0x0c, 0x78, 0x56, 0x34, 0x12});
    CHECK(enc(0x100000000ull) == std::vector<u8>{0x0e, 0, 0, 0, 0, 1, 0, 0, 0});
    // A writer that runs out of room says so.
    AmlWriter small(buf, 2);
    small.string("LNRO0005");
    CHECK_FALSE(small.ok());
}

// A zone that may manage others: after the virtio windows, as ASL
//     Device (BLKH) { Name (_HID, "BLKH0001") Name (_UID, Zero)
//       Name (_CRS, ResourceTemplate () {
//         Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) {23} }) }
// and nothing of it in a zone that may not.
TEST_CASE("zone ACPI: the control plane's device carries the event line", "[x86][acpi]") {
    const u8 kDevice[] = {
        0x5b, 0x82, 0x2e, 'B',  'L',  'K',  'H',                                             // Device (BLKH)
        0x08, '_',  'H',  'I',  'D',  0x0d, 'B',  'L',  'K',  'H', '0', '0', '0', '1', 0x00, //
        0x08, '_',  'U',  'I',  'D',  0x00,                                                  //
        0x08, '_',  'C',  'R',  'S',  0x11, 0x0e, 0x0a, 0x0b,                                // Buffer (11)
        0x89, 0x06, 0x00, 0x03, 0x01, 0x17, 0x00, 0x00, 0x00,                                // Interrupt {23}
        0x79, 0x00,                                                                          //
    };
    const ZoneAcpiVirtio v{0x08000000, 0x200, 16};
    ZoneAcpiConfig c;
    c.virtio = &v;
    c.virtio_count = 1;
    Built plain{c};
    c.event_gsi = 23;
    Built managing{c};
    REQUIRE(plain.used > 0);
    REQUIRE(managing.used > 0);
    const SdtHeader& d = managing.dsdt();
    check_table(d, "DSDT");
    REQUIRE(d.length == plain.dsdt().length + sizeof kDevice);
    const u8* aml = reinterpret_cast<const u8*>(&d) + sizeof(SdtHeader);
    const usize at = d.length - sizeof(SdtHeader) - sizeof kDevice; // the last device in \_SB
    CHECK(std::memcmp(aml + at, kDevice, sizeof kDevice) == 0);
    const SdtHeader& p = plain.dsdt();
    const std::string plain_aml(reinterpret_cast<const char*>(&p) + sizeof(SdtHeader), p.length - sizeof(SdtHeader));
    CHECK(plain_aml.find("BLKH0001") == std::string::npos);
}
