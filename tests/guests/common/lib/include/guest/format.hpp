// SPDX-License-Identifier: GPL-2.0-only
// A small vsnprintf for test zones (no libc).
#pragma once

#include <guest/types.hpp>
#include <stdarg.h>

namespace bh {

// Formats into buf (always NUL-terminated if size > 0); returns the length
// written, without the NUL. Output that does not fit is dropped.
usize vformat(char* buf, usize size, const char* fmt, va_list ap);
__attribute__((format(printf, 3, 4))) usize format(char* buf, usize size, const char* fmt, ...);

} // namespace bh
