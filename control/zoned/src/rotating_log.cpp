// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/rotating_log.hpp>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace bh::zoned {

using control::errno_error;

std::string console_log_name(unsigned index) {
    return index == 0 ? kConsoleLogName : std::string(kConsoleLogName) + "." + std::to_string(index);
}

RotatingLog::RotatingLog(int dir_fd, std::uint64_t max_bytes, unsigned keep)
    : dir_fd_(dir_fd), max_bytes_(max_bytes == 0 ? 1 : max_bytes), keep_(keep) {
    open_current();
}

void RotatingLog::open_current() {
    file_ = control::Fd(::openat(dir_fd_, kConsoleLogName, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
    if (!file_) throw errno_error(std::string("open ") + kConsoleLogName);
    off_t end = ::lseek(file_.get(), 0, SEEK_END); // not fstat: fewer calls for the seccomp filter
    if (end < 0) throw errno_error(std::string("lseek ") + kConsoleLogName);
    size_ = static_cast<std::uint64_t>(end);
}

void RotatingLog::rotate() {
    file_.reset();
    if (keep_ == 0) {
        if (::unlinkat(dir_fd_, kConsoleLogName, 0) < 0 && errno != ENOENT) throw errno_error("unlink console.log");
    } else {
        if (::unlinkat(dir_fd_, console_log_name(keep_).c_str(), 0) < 0 && errno != ENOENT)
            throw errno_error("unlink " + console_log_name(keep_));
        for (unsigned i = keep_; i > 0; --i) {
            if (::renameat(dir_fd_, console_log_name(i - 1).c_str(), dir_fd_, console_log_name(i).c_str()) < 0 &&
                errno != ENOENT)
                throw errno_error("rename " + console_log_name(i - 1));
        }
    }
    open_current();
}

void RotatingLog::write(std::string_view bytes) {
    while (!bytes.empty()) {
        if (size_ >= max_bytes_) rotate();
        std::size_t room = static_cast<std::size_t>(std::min<std::uint64_t>(max_bytes_ - size_, bytes.size()));
        ssize_t n = ::write(file_.get(), bytes.data(), room);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw errno_error(std::string("write ") + kConsoleLogName);
        }
        size_ += static_cast<std::uint64_t>(n);
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

void RotatingLog::sync() {
    if (::fdatasync(file_.get()) < 0) throw errno_error(std::string("fdatasync ") + kConsoleLogName);
}

} // namespace bh::zoned
