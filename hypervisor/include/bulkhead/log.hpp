// SPDX-License-Identifier: GPL-2.0-only
// Hypervisor log: printf-style lines prefixed with the CPU number, each
// copied whole into the host console's buffer (bulkhead/host_console.hpp),
// so lines from different CPUs never interleave and no CPU waits for the
// UART while others wait for it.
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

class Zone;

// A line about a zone's misbehaviour (an illegal access, a refused port or
// MSR): charged to the zone's console budget and dropped when it is spent.
void zone_log(Zone& z, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// A line of a zone's console output, tagged with its name (`[name] `, or
// `[name]+ ` when the line `continues` on the zone's next one) and charged
// to its console budget.
void zone_console_line(Zone& z, const char* text, usize len, bool continues = false);

[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

} // namespace bh
