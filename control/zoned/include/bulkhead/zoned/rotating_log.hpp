// SPDX-License-Identifier: GPL-2.0-only
// A zone's console log, bounded in size: console.log grows to max_bytes,
// then becomes console.log.1 (console.log.1 becomes .2, and so on up to
// `keep` old files; the oldest is removed). Written by the zone's backend,
// which reaches its log directory only through a descriptor: every call
// here is relative to it (openat, renameat, unlinkat), as its seccomp
// filter demands.
#pragma once

#include <bulkhead/control/fd.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace bh::zoned {

inline constexpr const char* kConsoleLogName = "console.log";

class RotatingLog {
  public:
    // Continues an existing console.log (a restarted backend appends).
    RotatingLog(int dir_fd, std::uint64_t max_bytes, unsigned keep);

    // Appends; a write that would take the file past max_bytes is split
    // so that every file holds at most max_bytes.
    void write(std::string_view bytes);
    void sync();
    std::uint64_t size() const { return size_; }

  private:
    void rotate();
    void open_current();

    int dir_fd_;
    std::uint64_t max_bytes_;
    unsigned keep_;
    control::Fd file_;
    std::uint64_t size_ = 0;
};

// "console.log" for 0, "console.log.N" for N.
std::string console_log_name(unsigned index);

} // namespace bh::zoned
