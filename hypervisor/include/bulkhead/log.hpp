// SPDX-License-Identifier: GPL-2.0-only
// Hypervisor log: printf-style lines prefixed with the CPU number, written
// whole under the console lock so lines from different CPUs never interleave.
#pragma once

#include <stdarg.h>

#include <bulkhead/types.hpp>

namespace bh {

// Formats into buf (always NUL-terminated); returns the length written.
// Supports %s %c %d %i %u %x %lx %llx %lu %ld %llu %lld %p and %%, with
// optional '0' flag and width.
usize format(char* buf, usize size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
usize vformat(char* buf, usize size, const char* fmt, va_list ap);

void log(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// Writes a complete line of a zone's console output, tagged with its name.
void zone_console_line(const char* zone_name, const char* text, usize len);

[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

} // namespace bh
