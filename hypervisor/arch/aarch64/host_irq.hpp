// SPDX-License-Identifier: GPL-2.0-only
#pragma once

namespace bh::aarch64 {

// Acknowledges and handles every pending physical interrupt of this CPU.
void handle_host_interrupts();
// The host console's receive side (console.cpp).
void console_enable_input();
void console_input_interrupt();

} // namespace bh::aarch64
