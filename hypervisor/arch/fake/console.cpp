// SPDX-License-Identifier: GPL-2.0-only
#include <arch/console.hpp>
#include <bulkhead/console_input.hpp>

#include <bulkhead/atomic.hpp>

#include <mutex>

namespace bh::arch {
namespace {
std::mutex console_mutex;
std::string console_buffer;
u64 room = ~u64(0);
Atomic<u64> input_resumes{0};
} // namespace

usize console_write_some(const char* s, usize n, bool wait) {
    std::lock_guard<std::mutex> g(console_mutex);
    usize take = wait || n <= room ? n : static_cast<usize>(room);
    if (!wait && room != ~u64(0)) room -= take;
    console_buffer.append(s, take);
    return take;
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
    room = ~u64(0);
}

void fake_console_set_room(u64 bytes) {
    std::lock_guard<std::mutex> g(console_mutex);
    room = bytes;
}

void console_input_resume() { input_resumes.fetch_add(1); }
u64 fake_console_input_resumes() { return input_resumes.load(); }

} // namespace bh::arch
