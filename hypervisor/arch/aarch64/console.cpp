// SPDX-License-Identifier: GPL-2.0-only
// The host console: a PL011 the hypervisor drives by polling.
#include "gic.hpp"
#include "platform.hpp"

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/console_input.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone_table.hpp>

#include <arch/console.hpp>
#include <arch/sysreg.hpp>

namespace bh::arch {

namespace {
constexpr u64 kDr = 0x00, kFr = 0x18;
constexpr u32 kFrTxff = 1u << 5;

// Room for one more byte in the transmit FIFO; waits for it if `wait`.
bool tx_room(u64 base, bool wait) {
    while (aarch64::mmio_read<u32>(base + kFr) & kFrTxff) {
        if (!wait) return false;
        cpu_relax();
    }
    return true;
}
} // namespace

usize console_write_some(const char* s, usize n, bool wait) {
    u64 base = aarch64::platform().uart;
    for (usize i = 0; i < n; ++i) {
        // A newline goes out as CR LF; should the FIFO fill between the two,
        // the next call sends the CR again, which a terminal does not show.
        if (s[i] == '\n') {
            if (!tx_room(base, wait)) return i;
            aarch64::mmio_write<u32>(base + kDr, '\r');
        }
        if (!tx_room(base, wait)) return i;
        aarch64::mmio_write<u32>(base + kDr, static_cast<u8>(s[i]));
    }
    return n;
}

} // namespace bh::arch

namespace bh::aarch64 {

namespace {
constexpr u64 kFr = 0x18, kDr = 0x00, kImsc = 0x38, kIcr = 0x44;
constexpr u32 kFrRxfe = 1u << 4, kRxIm = 1u << 4, kRtIm = 1u << 6;
} // namespace

void console_enable_input() {
    Platform& p = platform();
    Lock<ZoneTable> g(zones());
    Zone* z = zones().console_zone(g.held());
    if (!p.uart_intid || !z) return;
    mmio_write<u32>(p.uart + kImsc, kRxIm | kRtIm);
    gic_enable_spi(p.uart_intid, bh::cpu(0).hw_id);
    log("console input (host UART interrupt %u) goes to zone '%s'", p.uart_intid, z->name);
}

// Reading the FIFO empty clears the receive interrupt by itself, and the
// next byte to arrive raises it again, so only the timeout interrupt is
// cleared here. A byte the console zone has no room for stays in the UART,
// its interrupt masked until the zone takes one (bulkhead/console_input.hpp);
// the receive interrupt must then still be pending, so that unmasking
// raises it for the bytes left waiting. (Clearing it with UARTICR first lost
// them: with bytes in the FIFO no new one raises it, and input stopped for
// good, as linux.run-zone-stdin found half the time with 16 KiB piped in.
// Clearing it after a drain lost bytes that arrived in between, as
// aarch64.console-input found.)
void console_input_interrupt() {
    u64 base = platform().uart;
    mmio_write<u32>(base + kIcr, kRtIm);
    while (!(mmio_read<u32>(base + kFr) & kFrRxfe)) {
        if (!console_input_room()) {
            mmio_write<u32>(base + kImsc, 0);
            console_input_hold();
            return;
        }
        console_input(static_cast<char>(mmio_read<u32>(base + kDr) & 0xff));
    }
}

} // namespace bh::aarch64

namespace bh::arch {

void console_input_resume() {
    constexpr u64 kImsc = 0x38;
    constexpr u32 kRxIm = 1u << 4, kRtIm = 1u << 6;
    aarch64::mmio_write<u32>(aarch64::platform().uart + kImsc, kRxIm | kRtIm);
}

} // namespace bh::arch
