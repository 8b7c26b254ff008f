// SPDX-License-Identifier: GPL-2.0-only
// The host console's input, for the console zone (the manifest's
// console-input zone), with flow control: bytes are taken from the host
// UART only while the zone's receive FIFO has room, so input that arrives
// before the zone reads it (or faster) waits in the host UART and, behind
// it, in whatever feeds the UART (QEMU reads its standard input only as the
// UART takes it) instead of being dropped.
//
// The arch's receive interrupt handler, for each byte waiting in the UART:
// console_input_room() first; if true, reads the byte and console_input()s
// it; if false, masks its receive interrupt and calls console_input_hold().
// Once the zone takes a byte (console_input_taken()), arch::
// console_input_resume() unmasks the interrupt again, from whatever CPU.
#pragma once

namespace bh {

// Whether the console zone takes one more byte now. A zone that has ended
// (or none at all) takes everything, and drops it.
bool console_input_room();
// A byte typed on the host console: into the console zone's FIFO.
void console_input(char c);
// The arch masked its receive interrupt because there was no room.
void console_input_hold();
// The console zone took a byte from its FIFO (there is room again).
void console_input_taken();
// The console zone may have ended: input flows (and is dropped) again.
void console_input_release();

} // namespace bh

namespace bh::arch {
// Unmasks the host UART's receive interrupt (any CPU may call it).
void console_input_resume();
} // namespace bh::arch
