// SPDX-License-Identifier: GPL-2.0-only
// Fake arch console: what the host console's UART is given is appended to
// an in-memory buffer that tests read (and empty) with fake_console_take().
#pragma once

#include <string>

#include <bulkhead/types.hpp>

namespace bh::arch {

usize console_write_some(const char* s, usize n, bool wait);

// Test hooks: everything written since the last take, and emptying it.
std::string fake_console_take();
void fake_console_clear();
// A UART that takes at most `bytes` more without waiting (~0: unlimited,
// the default), as a slow real one whose FIFO is full.
void fake_console_set_room(u64 bytes);
// How often the core asked to unmask the host UART's receive interrupt
// (console_input_resume: the console zone made room after a hold).
u64 fake_console_input_resumes();

} // namespace bh::arch
