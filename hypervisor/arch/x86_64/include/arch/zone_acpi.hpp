// SPDX-License-Identifier: GPL-2.0-only
// The ACPI tables an x86 zone's Linux reads to find its platform: RSDP,
// XSDT, a MADT with one local APIC per vCPU and the zone's I/O APIC (no
// 8259s), a hardware-reduced FADT (no SCI, no PM timer, no FACS; the CMOS
// RTC present, no VGA, no i8042 for the OS to drive; reset through the
// i8042, soft-off through the sleep registers), and a DSDT declaring
// \_S5, the console UART, the CMOS RTC and the zone's virtio-mmio windows. They
// go at guest-physical kZoneAcpiBase (0xE0000, where Linux also scans for
// the RSDP), at most kZoneAcpiMaxBytes, in RAM the E820 map marks
// reserved. Pure: also compiled into the host unit tests.
#pragma once

#include <arch/vioapic.hpp>
#include <bulkhead/types.hpp>

namespace bh::x86_64 {

inline constexpr GuestPhys kZoneAcpiBase{0xe0000};
inline constexpr usize kZoneAcpiMaxBytes = 64 * 1024;

struct ZoneAcpiVirtio {
    u64 base;
    u64 size;
    u32 gsi;
};

struct ZoneAcpiConfig {
    u32 vcpus = 1; // local APIC ids 0..vcpus-1
    u64 lapic_base = 0xfee00000;
    u64 ioapic_base = kIoApicMmioBase;
    // On a PC, I/O APIC and local APIC ids share one APIC-bus name space:
    // the zone's I/O APIC takes the first id no vCPU can have (what its ID
    // register reads after reset, VirtualIoApic::kId).
    u8 ioapic_id = VirtualIoApic::kId;
    u32 ioapic_pins = VirtualIoApic::kPins;
    u16 uart_port = 0x3f8;
    u8 uart_irq = 4; // an ISA IRQ (< 16), the I/O APIC pin of the same number
    const ZoneAcpiVirtio* virtio = nullptr;
    u32 virtio_count = 0;
    // The hypervisor's event line (BH_HC_EVENT_NEXT), declared as the
    // BLKH0001 device the control-plane driver binds to, for zones that
    // may manage others; -1: no such device.
    int event_gsi = -1;
};

// Writes the RSDP at buf[0] and the XSDT, MADT, FADT (hardware-reduced),
// DSDT after it, every pointer addressed as if buf lay at guest-physical
// `at` (16-byte aligned, for Linux's RSDP scan). Returns the bytes used, 0
// if `size` is too small or the configuration cannot be described (no
// vCPU, more than 255, a UART IRQ above 15, an interrupt beyond the I/O
// APIC's pins); buf's contents are then undefined.
[[nodiscard]] usize build_zone_acpi(const ZoneAcpiConfig& c, GuestPhys at, u8* buf, usize size);

} // namespace bh::x86_64
