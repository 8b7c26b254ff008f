// SPDX-License-Identifier: GPL-2.0-only
// Fake arch console: output is appended to an in-memory buffer that tests
// read (and empty) with fake_console_take().
#pragma once

#include <string>

#include <bulkhead/types.hpp>

namespace bh::arch {

void console_write(const char* s, usize len);

// Test hooks: everything written since the last take, and emptying it.
std::string fake_console_take();
void fake_console_clear();

} // namespace bh::arch
