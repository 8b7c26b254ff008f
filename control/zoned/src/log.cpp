// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/log.hpp>

#include <atomic>
#include <string>
#include <unistd.h>

namespace bh::zoned {

namespace {
std::atomic<bool> quiet{false};
}

void log_line(std::string_view text) {
    if (quiet) return;
    std::string line = "zoned: ";
    line += text;
    line += '\n';
    [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line.data(), line.size()); // one write: lines stay whole
}

void set_log_quiet(bool q) { quiet = q; }

} // namespace bh::zoned
