// SPDX-License-Identifier: GPL-2.0-only
#pragma once

#include <bulkhead/types.hpp>

namespace bh::arch {

// Writes to the host console (the 16550 at I/O port 0x3f8), polling;
// callers serialise.
void console_write(const char* s, usize n);

} // namespace bh::arch
