// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/log.hpp>
#include <bulkhead/spinlock.hpp>

#include <arch/console.hpp>

namespace bh {
namespace {

Spinlock console_lock{LockLevel::console};

void write_line(const char* prefix, const char* text, usize len) {
    LockGuard g(console_lock);
    usize p = 0;
    while (prefix[p]) ++p;
    arch::console_write(prefix, p);
    arch::console_write(text, len);
    if (len == 0 || text[len - 1] != '\n') arch::console_write("\n", 1);
}

} // namespace

void log(const char* fmt, ...) {
    char line[256];
    char prefix[16];
    format(prefix, sizeof prefix, "[bulkhead:%u] ", arch::cpu_id());
    va_list ap;
    va_start(ap, fmt);
    usize n = vformat(line, sizeof line, fmt, ap);
    va_end(ap);
    write_line(prefix, line, n);
}

void zone_console_line(const char* zone_name, const char* text, usize len) {
    char prefix[48];
    format(prefix, sizeof prefix, "[%s] ", zone_name);
    write_line(prefix, text, len);
}

void panic(const char* fmt, ...) {
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    usize n = vformat(line, sizeof line, fmt, ap);
    va_end(ap);
    char prefix[32];
    format(prefix, sizeof prefix, "[bulkhead:%u] PANIC: ", arch::cpu_id());
    write_line(prefix, line, n);
    arch::halt_machine();
}

} // namespace bh
