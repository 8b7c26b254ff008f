// SPDX-License-Identifier: GPL-2.0-only
#include <arch/console.hpp>

#include <mutex>

namespace bh::arch {
namespace {
std::mutex console_mutex;
std::string console_buffer;
} // namespace

void console_write(const char* s, usize len) {
    std::lock_guard<std::mutex> g(console_mutex);
    console_buffer.append(s, len);
}

std::string fake_console_take() {
    std::lock_guard<std::mutex> g(console_mutex);
    std::string out;
    out.swap(console_buffer);
    return out;
}

void fake_console_clear() {
    std::lock_guard<std::mutex> g(console_mutex);
    console_buffer.clear();
}

} // namespace bh::arch
