// SPDX-License-Identifier: GPL-2.0-only
// An owned file descriptor and the system-call chores every part of the
// control plane repeats: EINTR, short writes, errors as exceptions that
// name what failed.
#pragma once

#include <cerrno>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace bh::control {

class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) reset(std::exchange(other.fd_, -1));
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release() { return std::exchange(fd_, -1); }
    void reset(int fd = -1);

  private:
    int fd_ = -1;
};

// std::system_error for errno `err`, its what() "what: strerror".
std::system_error errno_error(const std::string& what, int err = errno);

// Writes all of `data` to a blocking descriptor (sockets without SIGPIPE).
void write_all(int fd, std::string_view data);
// Reads up to `max` bytes from the current position to EOF.
std::string read_up_to(int fd, std::size_t max);
void set_nonblocking(int fd, bool nonblocking);
// A connected pair of close-on-exec Unix sockets of `type` (SOCK_STREAM...).
std::pair<Fd, Fd> make_socketpair(int type);
// A close-on-exec pipe: {read end, write end}.
std::pair<Fd, Fd> make_pipe();

} // namespace bh::control
