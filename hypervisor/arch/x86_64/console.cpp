// SPDX-License-Identifier: GPL-2.0-only
// The host console: the 16550 UART at I/O port 0x3f8 (COM1), driven by
// polling. Initialised to 115200 8N1 because Bochs honours the line control
// register (a reset UART there sends 5-bit characters) and firmware may
// have left it in any state.
#include "console_init.hpp"

#include <arch/console.hpp>
#include <arch/cpu.hpp>
#include <arch/x86.hpp>

namespace bh::x86_64 {
namespace {
constexpr u16 kCom1 = 0x3f8;
enum : u16 { kThr = 0, kIer = 1, kFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5 };
constexpr u8 kLsrThre = 0x20;
} // namespace

void console_init() {
    x86::outb(kCom1 + kIer, 0x00);   // no interrupts
    x86::outb(kCom1 + kLcr, 0x80);   // DLAB: divisor follows
    x86::outb(kCom1 + 0, 0x01);      // 115200 baud
    x86::outb(kCom1 + 1, 0x00);
    x86::outb(kCom1 + kLcr, 0x03);   // 8N1
    x86::outb(kCom1 + kFcr, 0xc7);   // FIFOs on and cleared
    x86::outb(kCom1 + kMcr, 0x03);   // DTR, RTS
}

} // namespace bh::x86_64

namespace bh::arch {

void console_write(const char* s, usize n) {
    using namespace x86_64;
    for (usize i = 0; i < n; ++i) {
        if (s[i] == '\n') {
            while (!(x86::inb(kCom1 + kLsr) & kLsrThre)) cpu_relax();
            x86::outb(kCom1 + kThr, '\r');
        }
        while (!(x86::inb(kCom1 + kLsr) & kLsrThre)) cpu_relax();
        x86::outb(kCom1 + kThr, static_cast<u8>(s[i]));
    }
}

} // namespace bh::arch
