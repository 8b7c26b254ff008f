// SPDX-License-Identifier: GPL-2.0-only
// A zone's DSDT: in \_SB, the console UART (PNP0501: Linux's 8250_pnp
// finds it), the CMOS RTC (PNP0B00: rtc-cmos binds to it; on a
// hardware-reduced platform Linux has no legacy IRQs, so the RTC gets none
// and offers no alarms, which is all the model behind it does), and one
// LNRO0005 device per virtio-mmio window (the ACPI ID Linux's virtio_mmio
// matches) with its registers and an edge-triggered, active-high interrupt
// on its GSI, as the zone's I/O APIC delivers device lines. At the root,
// \_S5 gives the sleep type the FADT's sleep control register powers off
// with (acpi_sleep.hpp). A zone that may manage others also gets BLKH0001,
// the control plane's device: the driver (drivers/linux/bulkhead) binds to
// it and takes the hypervisor's event line from its one interrupt.
#include "zone_acpi_tables.hpp"

#include <arch/acpi_sleep.hpp>
#include <arch/aml_writer.hpp>

namespace bh::x86_64 {
namespace {

// Resource data types (ACPI 6.5, 6.4): small items carry their length in
// the tag byte, large items in the two bytes after it.
enum : u8 {
    kIrqNoFlags = 0x22,    // small, type 4, 2 bytes: the IRQ mask
    kIoPort = 0x47,        // small, type 8, 7 bytes
    kEndTag = 0x79,        // small, type 15, 1 byte: the checksum (0: none)
    kMemory32Fixed = 0x86, // large, 9 bytes
    kExtendedIrq = 0x89,   // large, 6 bytes for one interrupt
    kQWordAddress = 0x8a,  // large, 43 bytes
};
constexpr u8 kIoDecode16 = 1;
constexpr u8 kMemReadWrite = 1;
// Extended interrupt flags: consumer (bit 0), edge (bit 1); active high,
// exclusive (bits 2, 3 clear).
constexpr u8 kIrqConsumerEdgeHigh = 0x03;
// QWord address space: memory (type 0); consumer, MinFixed, MaxFixed,
// positive decode; non-cacheable, read-write.
constexpr u8 kAddrMemory = 0, kAddrConsumerFixed = 0x0d, kAddrMemNonCacheableRw = 0x01;

void io_port(AmlWriter& w, u16 base, u8 length) {
    w.byte(kIoPort);
    w.byte(kIoDecode16);
    w.le(base, 2); // minimum
    w.le(base, 2); // maximum: fixed
    w.byte(1);     // alignment
    w.byte(length);
}

void memory(AmlWriter& w, u64 base, u64 size) {
    if (base + size - 1 <= 0xffffffffu) {
        w.byte(kMemory32Fixed);
        w.le(9, 2);
        w.byte(kMemReadWrite);
        w.le(base, 4);
        w.le(size, 4);
        return;
    }
    w.byte(kQWordAddress);
    w.le(43, 2);
    w.byte(kAddrMemory);
    w.byte(kAddrConsumerFixed);
    w.byte(kAddrMemNonCacheableRw);
    w.le(0, 8);               // granularity
    w.le(base, 8);            // minimum
    w.le(base + size - 1, 8); // maximum
    w.le(0, 8);               // translation offset
    w.le(size, 8);            // length
}

void interrupt(AmlWriter& w, u32 gsi) {
    w.byte(kExtendedIrq);
    w.le(6, 2);
    w.byte(kIrqConsumerEdgeHigh);
    w.byte(1); // one interrupt
    w.le(gsi, 4);
}

void end_tag(AmlWriter& w) {
    w.byte(kEndTag);
    w.byte(0);
}

void uart(AmlWriter& w, const ZoneAcpiConfig& c) {
    const usize dev = w.open_device("COM1");
    w.name("_HID");
    w.eisa_id("PNP0501");
    w.name("_UID");
    w.integer(0);
    w.name("_CRS");
    const usize crs = w.open_buffer();
    io_port(w, c.uart_port, 8);
    w.byte(kIrqNoFlags); // edge, active high: ISA's
    w.le(u16(1) << c.uart_irq, 2);
    end_tag(w);
    w.close_buffer(crs);
    w.close_package(dev);
}

void rtc(AmlWriter& w) {
    const usize dev = w.open_device("RTC_");
    w.name("_HID");
    w.eisa_id("PNP0B00");
    w.name("_CRS");
    const usize crs = w.open_buffer();
    io_port(w, 0x70, 2);
    end_tag(w);
    w.close_buffer(crs);
    w.close_package(dev);
}

void virtio(AmlWriter& w, const ZoneAcpiVirtio& v, u32 index) {
    constexpr char kHex[] = "0123456789ABCDEF";
    const char seg[5] = {'V', 'R', kHex[(index >> 4) & 0xf], kHex[index & 0xf], 0};
    const usize dev = w.open_device(seg);
    w.name("_HID");
    w.string("LNRO0005");
    w.name("_UID");
    w.integer(index);
    w.name("_CRS");
    const usize crs = w.open_buffer();
    memory(w, v.base, v.size);
    interrupt(w, v.gsi);
    end_tag(w);
    w.close_buffer(crs);
    w.close_package(dev);
}

void bulkhead(AmlWriter& w, u32 gsi) {
    const usize dev = w.open_device("BLKH");
    w.name("_HID");
    w.string("BLKH0001");
    w.name("_UID");
    w.integer(0);
    w.name("_CRS");
    const usize crs = w.open_buffer();
    interrupt(w, gsi);
    end_tag(w);
    w.close_buffer(crs);
    w.close_package(dev);
}

// Name (_S5, Package (4) { SLP_TYPa, SLP_TYPb, reserved, reserved }): a
// hardware-reduced platform uses SLP_TYPa only.
void soft_off(AmlWriter& w) {
    w.name("_S5_");
    const usize pkg = w.open_package_object(4);
    w.integer(AcpiSleep::kS5Type);
    w.integer(AcpiSleep::kS5Type);
    w.integer(0);
    w.integer(0);
    w.close_package(pkg);
}

} // namespace

usize write_zone_dsdt(const ZoneAcpiConfig& c, u8* buf, usize size) {
    constexpr usize kHeader = sizeof(acpi::SdtHeader);
    if (size < kHeader || c.uart_irq >= 16 || c.virtio_count > 256) return 0;
    AmlWriter w(buf + kHeader, size - kHeader);
    soft_off(w);
    // At the root, "_SB_" is \_SB, which iasl writes without the prefix.
    const usize sb = w.open_scope("_SB_");
    uart(w, c);
    rtc(w);
    for (u32 i = 0; i < c.virtio_count; ++i) virtio(w, c.virtio[i], i);
    if (c.event_gsi >= 0) bulkhead(w, static_cast<u32>(c.event_gsi));
    w.close_package(sb);
    if (!w.ok()) return 0;
    const usize length = kHeader + w.size();
    // Revision 2: integers are 64 bits wide (the QWord addresses need it).
    acpi_seal_table(*reinterpret_cast<acpi::SdtHeader*>(buf), "DSDT", 2, length);
    return length;
}

} // namespace bh::x86_64
