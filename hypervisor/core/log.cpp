// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/host_console.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone.hpp>

namespace bh {
namespace {

void hypervisor_line(const char* prefix_fmt, const char* fmt, va_list ap) {
    char line[256];
    char prefix[32];
    format(prefix, sizeof prefix, prefix_fmt, arch::cpu_id());
    usize n = vformat(line, sizeof line, fmt, ap);
    host_console::write_line(prefix, line, n, host_console::Priority::hypervisor);
}

// Charges `bytes` of output to the zone; reports lines dropped before.
bool charge(Zone& z, u64 bytes) {
    u64 dropped = 0;
    if (!z.log_budget.take(bytes, arch::now(), arch::ticks_per_second(), dropped)) return false;
    if (dropped)
        log("zone '%s': %llu console and log lines dropped: it wrote more than its console budget", z.name,
            static_cast<unsigned long long>(dropped));
    return true;
}

} // namespace

void log(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hypervisor_line("[bulkhead:%u] ", fmt, ap);
    va_end(ap);
}

void zone_log(Zone& z, const char* fmt, ...) {
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    usize n = vformat(line, sizeof line, fmt, ap);
    va_end(ap);
    char prefix[32];
    usize plen = format(prefix, sizeof prefix, "[bulkhead:%u] ", arch::cpu_id());
    if (!charge(z, plen + n + 1)) return;
    host_console::write_line(prefix, line, n, host_console::Priority::hypervisor);
}

void zone_console_line(Zone& z, const char* text, usize len, bool continues) {
    char prefix[48];
    usize plen = format(prefix, sizeof prefix, continues ? "[%s]+ " : "[%s] ", z.name);
    if (!charge(z, plen + len + 1)) return;
    if (!host_console::write_line(prefix, text, len, host_console::Priority::zone)) z.log_budget.count_drop();
}

namespace {
// Panics under way. A panic inside a panic (its report faulted) ends the
// machine at once: recursing, it would run the stack down through the
// memory below it (it did, on x86, when this_cpu() read a zone's GS base).
// (Undone when a halt returns, as the fake arch's does by throwing.)
Atomic<u32> panics{0};
struct PanicDepth {
    PanicDepth() {
        if (panics.fetch_add(1) != 0) {
            panics.fetch_sub(1);
            arch::halt_machine();
        }
    }
    ~PanicDepth() { panics.fetch_sub(1); }
};
} // namespace

void panic(const char* fmt, ...) {
    PanicDepth depth;
    va_list ap;
    va_start(ap, fmt);
    hypervisor_line("[bulkhead:%u] PANIC: ", fmt, ap);
    va_end(ap);
    host_console::flush();
    arch::halt_machine();
}

} // namespace bh
