// SPDX-License-Identifier: GPL-2.0-only
// ACPI 6.5 table layouts, for the host's tables the hypervisor reads at
// boot (acpi.cpp) and the tables it writes for zones (zone_acpi.cpp):
// RSDP (5.2.5.3), the system description table header (5.2.6), the
// Generic Address Structure (5.2.3.2), the FADT (5.2.9) and the MADT and
// its Local APIC and I/O APIC entries (5.2.12). Pure data, also compiled
// into the host unit tests.
#pragma once

#include <bulkhead/types.hpp>

#include <stddef.h>

namespace bh::x86_64::acpi {

struct __attribute__((packed)) Rsdp {
    char signature[8]; // "RSD PTR "
    u8 checksum;       // of the first 20 bytes (the ACPI 1.0 structure)
    char oem[6];
    u8 revision; // 2: ACPI 2.0 and later, with the XSDT
    u32 rsdt;
    u32 length; // of the whole structure: 36
    u64 xsdt;
    u8 ext_checksum; // of all 36 bytes
    u8 reserved[3];
};
static_assert(sizeof(Rsdp) == 36 && offsetof(Rsdp, revision) == 15 && offsetof(Rsdp, rsdt) == 16 &&
              offsetof(Rsdp, length) == 20 && offsetof(Rsdp, xsdt) == 24 && offsetof(Rsdp, ext_checksum) == 32);
inline constexpr usize kRsdpV1Length = 20;

struct __attribute__((packed)) SdtHeader {
    char signature[4];
    u32 length; // of the whole table, this header included
    u8 revision, checksum;
    char oem[6], oem_table[8];
    u32 oem_revision;
    char creator[4];
    u32 creator_revision;
};
static_assert(sizeof(SdtHeader) == 36 && offsetof(SdtHeader, length) == 4 && offsetof(SdtHeader, checksum) == 9 &&
              offsetof(SdtHeader, oem) == 10 && offsetof(SdtHeader, oem_table) == 16 &&
              offsetof(SdtHeader, oem_revision) == 24 && offsetof(SdtHeader, creator) == 28);

struct __attribute__((packed)) GenericAddress {
    u8 space_id; // 0 system memory, 1 system I/O
    u8 bit_width, bit_offset, access_size;
    u64 address;
};
static_assert(sizeof(GenericAddress) == 12 && offsetof(GenericAddress, address) == 4);
inline constexpr u8 kSpaceSystemIo = 1;

struct __attribute__((packed)) Fadt {
    SdtHeader header; // "FACP", revision 6
    u32 firmware_ctrl, dsdt;
    u8 reserved0, preferred_pm_profile;
    u16 sci_int;
    u32 smi_cmd;
    u8 acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
    u32 pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk, pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
    u8 pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len, gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
    u16 p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
    u8 duty_offset, duty_width, day_alrm, mon_alrm, century;
    u16 iapc_boot_arch;
    u8 reserved1;
    u32 flags;
    GenericAddress reset_reg;
    u8 reset_value;
    u16 arm_boot_arch;
    u8 minor_version;
    u64 x_firmware_ctrl, x_dsdt;
    GenericAddress x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk, x_pm1b_cnt_blk, x_pm2_cnt_blk, x_pm_tmr_blk,
        x_gpe0_blk, x_gpe1_blk, sleep_control_reg, sleep_status_reg;
    u64 hypervisor_vendor;
};
static_assert(sizeof(Fadt) == 276 && offsetof(Fadt, dsdt) == 40 && offsetof(Fadt, sci_int) == 46 &&
              offsetof(Fadt, pm_tmr_blk) == 76 && offsetof(Fadt, pm_tmr_len) == 91 && offsetof(Fadt, century) == 108 &&
              offsetof(Fadt, iapc_boot_arch) == 109 && offsetof(Fadt, flags) == 112 &&
              offsetof(Fadt, reset_reg) == 116 && offsetof(Fadt, reset_value) == 128 &&
              offsetof(Fadt, minor_version) == 131 && offsetof(Fadt, x_dsdt) == 140 &&
              offsetof(Fadt, x_pm_tmr_blk) == 208 && offsetof(Fadt, sleep_control_reg) == 244 &&
              offsetof(Fadt, hypervisor_vendor) == 268);

// FADT flags (Table 5.10) and IA-PC boot architecture flags (Table 5.11).
inline constexpr u32 kFadtWbinvd = 1u << 0, kFadtPowerButton = 1u << 4, kFadtSleepButton = 1u << 5,
                     kFadtFixedRtc = 1u << 6, kFadtResetRegister = 1u << 10, kFadtHwReduced = 1u << 20;
inline constexpr u16 kBootLegacyDevices = 1u << 0, kBoot8042 = 1u << 1, kBootNoVga = 1u << 2, kBootNoMsi = 1u << 3,
                     kBootNoCmosRtc = 1u << 5;

struct __attribute__((packed)) MadtHeader {
    SdtHeader header; // "APIC"
    u32 lapic_address;
    u32 flags; // bit 0: PC-AT compatible dual 8259s present
};
static_assert(sizeof(MadtHeader) == 44 && offsetof(MadtHeader, flags) == 40);
inline constexpr u32 kMadtPcatCompat = 1u << 0;

enum : u8 { kMadtLapic = 0, kMadtIoApic = 1, kMadtSourceOverride = 2, kMadtLapicOverride = 5, kMadtX2apic = 9 };

struct __attribute__((packed)) MadtLapic {
    u8 type, length; // 0, 8
    u8 processor_uid, apic_id;
    u32 flags; // bit 0 enabled, bit 1 online capable
};
static_assert(sizeof(MadtLapic) == 8 && offsetof(MadtLapic, apic_id) == 3 && offsetof(MadtLapic, flags) == 4);
inline constexpr u32 kLapicEnabled = 1, kLapicOnlineCapable = 2;

struct __attribute__((packed)) MadtIoApic {
    u8 type, length; // 1, 12
    u8 id, reserved;
    u32 address;
    u32 gsi_base;
};
static_assert(sizeof(MadtIoApic) == 12 && offsetof(MadtIoApic, address) == 4 && offsetof(MadtIoApic, gsi_base) == 8);

// The byte that makes `len` bytes at `p` sum to zero (mod 256).
inline u8 checksum_of(const void* p, usize len) {
    u8 sum = 0;
    for (usize i = 0; i < len; ++i) sum = static_cast<u8>(sum + static_cast<const u8*>(p)[i]);
    return static_cast<u8>(-sum);
}

} // namespace bh::x86_64::acpi
