// SPDX-License-Identifier: GPL-2.0-only
// The host console: the 16550 UART at I/O port 0x3f8 (COM1), driven by
// polling. Initialised to 115200 8N1 because Bochs honours the line control
// register (a reset UART there sends 5-bit characters) and firmware may
// have left it in any state.
#include "console_init.hpp"

#include "acpi.hpp"
#include "lapic.hpp"

#include "asm_defs.h"

#include <arch/console.hpp>
#include <arch/cpu.hpp>
#include <arch/x86.hpp>
#include <bulkhead/console_input.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh::x86_64 {
namespace {
constexpr u16 kCom1 = 0x3f8;
enum : u16 { kThr = 0, kIer = 1, kFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5 };
constexpr u8 kLsrDr = 0x01, kLsrThre = 0x20;
constexpr unsigned kComIrq = 4;

// I/O APIC registers (82093AA): index at +0, data at +0x10.
u32 ioapic_read(u64 base, u32 reg) {
    x86::mmio_write<u32>(base, reg);
    return x86::mmio_read<u32>(base + 0x10);
}
void ioapic_write(u64 base, u32 reg, u32 v) {
    x86::mmio_write<u32>(base, reg);
    x86::mmio_write<u32>(base + 0x10, v);
}
} // namespace

void console_init() {
    x86::outb(kCom1 + kIer, 0x00); // no interrupts
    x86::outb(kCom1 + kLcr, 0x80); // DLAB: divisor follows
    x86::outb(kCom1 + 0, 0x01);    // 115200 baud
    x86::outb(kCom1 + 1, 0x00);
    x86::outb(kCom1 + kLcr, 0x03); // 8N1
    x86::outb(kCom1 + kFcr, 0xc7); // FIFOs on and cleared
    x86::outb(kCom1 + kMcr, 0x03); // DTR, RTS
}

bool console_enable_input(const Madt& madt) {
    u32 gsi = madt.isa_gsi[kComIrq];
    u16 flags = madt.isa_flags[kComIrq];
    for (unsigned i = 0; i < madt.ioapic_count; ++i) {
        u64 base = madt.ioapic_base[i];
        u32 pins = ((ioapic_read(base, 1) >> 16) & 0xff) + 1;
        if (gsi < madt.ioapic_gsi_base[i] || gsi >= madt.ioapic_gsi_base[i] + pins) continue;
        u32 pin = gsi - madt.ioapic_gsi_base[i];
        // MPS INTI flags: polarity 3 = active low, trigger 3 = level; 0 = ISA's default (high, edge).
        u32 low =
            BH_VECTOR_CONSOLE | (((flags & 3) == 3) ? (1u << 13) : 0) | ((((flags >> 2) & 3) == 3) ? (1u << 15) : 0);
        ioapic_write(base, 0x10 + 2 * pin + 1, lapic_id() << 24);      // physical destination: this CPU
        ioapic_write(base, 0x10 + 2 * pin, low);                       // fixed delivery, unmasked
        x86::outb(kCom1 + kMcr, 0x0b);                                 // DTR, RTS, OUT2 (the IRQ gate)
        x86::outb(kCom1 + kIer, 0x01);                                 // received data available
        while (x86::inb(kCom1 + kLsr) & kLsrDr) (void)x86::inb(kCom1); // nothing typed before boot counts
        return true;
    }
    log("console: no I/O APIC serves COM1's IRQ %u (GSI %u): console input is off", kComIrq, gsi);
    return false;
}

// A byte the console zone has no room for stays in the UART, its interrupt
// off until the zone takes one (bulkhead/console_input.hpp).
void console_receive() {
    while (x86::inb(kCom1 + kLsr) & kLsrDr) {
        if (!console_input_room()) {
            x86::outb(kCom1 + kIer, 0x00);
            console_input_hold();
            return;
        }
        console_input(static_cast<char>(x86::inb(kCom1)));
    }
}

} // namespace bh::x86_64

namespace bh::arch {

namespace {
// Room for one more byte in the transmitter; waits for it if `wait`.
bool tx_room(bool wait) {
    using namespace x86_64;
    while (!(x86::inb(kCom1 + kLsr) & kLsrThre)) {
        if (!wait) return false;
        cpu_relax();
    }
    return true;
}
} // namespace

usize console_write_some(const char* s, usize n, bool wait) {
    using namespace x86_64;
    for (usize i = 0; i < n; ++i) {
        // A newline goes out as CR LF; should the transmitter fill between
        // the two, the next call sends the CR again, which a terminal does
        // not show.
        if (s[i] == '\n') {
            if (!tx_room(wait)) return i;
            x86::outb(kCom1 + kThr, '\r');
        }
        if (!tx_room(wait)) return i;
        x86::outb(kCom1 + kThr, static_cast<u8>(s[i]));
    }
    return n;
}

void console_input_resume() { x86::outb(x86_64::kCom1 + x86_64::kIer, 0x01); }

} // namespace bh::arch
