// SPDX-License-Identifier: GPL-2.0-only
#pragma once

namespace bh::x86_64 {

// Programs COM1 for 115200 8N1 before the first log line.
void console_init();
// Once the I/O APICs are mapped: COM1's receive interrupt (ISA IRQ 4)
// goes to this CPU (the boot CPU) as BH_VECTOR_CONSOLE. False (logged) if
// no I/O APIC serves that line: console input is then off.
bool console_enable_input(const struct Madt& madt);
// BH_VECTOR_CONSOLE: hands every received byte to the console-input zone.
void console_receive();

} // namespace bh::x86_64
