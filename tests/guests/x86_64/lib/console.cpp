// SPDX-License-Identifier: GPL-2.0-only
// 16550 transmit, polling the line status register. Formatting happens
// before taking the lock, so a vCPU holds it only while its bytes go out.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/format.hpp>

namespace bh::console {
namespace {

SpinLock lock;
constexpr u16 kLsr = kCom1 + 5;
constexpr u8 kLsrThre = 0x20;

void put_raw(char c) {
    // The bound keeps a broken LSR from hanging the test silently.
    for (u32 i = 0; i < 100000 && !(inb(kLsr) & kLsrThre); ++i) {}
    outb(kCom1, static_cast<u8>(c));
}

} // namespace

void write(const char* s, usize n) {
    bool nested = lock.held_by_me(); // a crash report while printing
    if (!nested) lock.lock();
    for (usize i = 0; i < n; ++i) put_raw(s[i]);
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
