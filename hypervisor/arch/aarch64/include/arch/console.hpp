// SPDX-License-Identifier: GPL-2.0-only
#pragma once

#include <bulkhead/types.hpp>

namespace bh::arch {

// Writes up to `n` bytes to the host console (PL011), a newline as CR LF,
// as far as the UART takes them without waiting (or all, waiting, if
// `wait`); returns how many. Only bulkhead/host_console.hpp calls it.
usize console_write_some(const char* s, usize n, bool wait);

} // namespace bh::arch
