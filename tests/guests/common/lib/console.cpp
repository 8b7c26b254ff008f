// SPDX-License-Identifier: GPL-2.0-only
// Console output for every architecture (the byte itself goes out through
// platform::console_put). Formatting happens before taking the lock, so a
// vCPU holds it only while its bytes go out.
#include <guest/console.hpp>
#include <guest/format.hpp>
#include <guest/platform.hpp>

namespace bh::console {
namespace {

platform::Lock lock;

} // namespace

void write(const char* s, usize n) {
    bool nested = lock.held_by_me(); // a crash report while printing
    if (!nested) lock.lock();
    for (usize i = 0; i < n; ++i) platform::console_put(s[i]);
    if (!nested) lock.unlock();
}

void puts(const char* s) {
    usize n = 0;
    while (s[n]) ++n;
    write(s, n);
}

} // namespace bh::console

namespace bh {

void print(const char* fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    usize n = vformat(buf, sizeof buf, fmt, ap);
    va_end(ap);
    console::write(buf, n);
}

} // namespace bh
