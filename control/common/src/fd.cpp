// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/control/fd.hpp>

#include <algorithm>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace bh::control {

void Fd::reset(int fd) {
    if (fd_ >= 0) ::close(fd_); // close(2) may not be retried on EINTR: the fd is gone either way
    fd_ = fd;
}

std::system_error errno_error(const std::string& what, int err) {
    return std::system_error(err, std::generic_category(), what);
}

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK) n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw errno_error("write");
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

std::string read_up_to(int fd, std::size_t max) {
    std::string out;
    char buf[8192];
    while (out.size() < max) {
        ssize_t n = ::read(fd, buf, std::min(sizeof buf, max - out.size()));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw errno_error("read");
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

void set_nonblocking(int fd, bool nonblocking) {
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0) throw errno_error("fcntl(F_GETFL)");
    flags = nonblocking ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    if (::fcntl(fd, F_SETFL, flags) < 0) throw errno_error("fcntl(F_SETFL)");
}

std::pair<Fd, Fd> make_socketpair(int type) {
    int fds[2];
    if (::socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, fds) < 0) throw errno_error("socketpair");
    return {Fd(fds[0]), Fd(fds[1])};
}

std::pair<Fd, Fd> make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) throw errno_error("pipe2");
    return {Fd(fds[0]), Fd(fds[1])};
}

} // namespace bh::control
