// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/backend_loop.hpp>
#include <bulkhead/zoned/rotating_log.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace bh::zoned {

namespace {

constexpr std::size_t kInputMax = 64 * 1024; // input held for a zone that does not read it

// read(2) that treats a peer reset as the end.
ssize_t read_some(int fd, char* buf, std::size_t size) {
    for (;;) {
        ssize_t n = ::read(fd, buf, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == ECONNRESET) return 0;
        return n;
    }
}

} // namespace

InputPort::InputPort(const BackendFds& fds) : current_(fds.input), listener_(fds.input_listener) {}

InputPort::~InputPort() {
    if (current_ >= 0) ::close(current_);
}

void InputPort::poll_entries(pollfd* p, bool want) const {
    p[0] = {current_, static_cast<short>(want ? POLLIN : 0), 0};
    p[1] = {listener_, POLLIN, 0};
}

std::size_t InputPort::handle(const pollfd* p, char* buf, std::size_t size) {
    if (listener_ >= 0 && (p[1].revents & POLLIN)) {
        int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) { // a restarted zoned: input is its now
            if (current_ >= 0) ::close(current_);
            current_ = fd;
            return 0;
        }
    }
    if (current_ < 0 || !(p[0].revents & (POLLIN | POLLHUP | POLLERR))) return 0;
    ssize_t n = read_some(current_, buf, size);
    if (n > 0) return static_cast<std::size_t>(n);
    if (n == 0 || errno != EAGAIN) { // that zoned is gone: serve on, wait for the next
        ::close(current_);
        current_ = -1;
    }
    return 0;
}

BackendEnd InputPort::report(BackendEnd end) {
    if (current_ < 0) return end;
    auto code = static_cast<char>(end);
    (void)::send(current_, &code, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    return end;
}

BackendEnd run_backend(const BackendFds& fds, const BackendLimits& limits) {
    InputPort input(fds);
    try {
        RotatingLog log(fds.log_dir, limits.log_max_bytes, limits.log_keep);
        std::string to_zone;
        for (;;) {
            pollfd p[3] = {{fds.console, POLLIN, 0}, {}, {}};
            if (!to_zone.empty()) p[0].events |= POLLOUT;
            input.poll_entries(&p[1], to_zone.size() < kInputMax);
            if (::poll(p, 3, -1) < 0) {
                if (errno == EINTR) continue;
                return input.report(BackendEnd::error);
            }
            if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                char buf[65536];
                ssize_t n = read_some(fds.console, buf, sizeof buf);
                if (n < 0 && errno != EAGAIN) return input.report(BackendEnd::error);
                if (n == 0) {
                    log.sync();
                    return input.report(BackendEnd::drained);
                }
                if (n > 0) log.write(std::string_view(buf, static_cast<std::size_t>(n)));
            }
            if (p[0].revents & POLLOUT) {
                ssize_t n = ::send(fds.console, to_zone.data(), to_zone.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n > 0) to_zone.erase(0, static_cast<std::size_t>(n));
                // EPIPE: the zone's console is gone; its EOF comes on the read side.
            }
            char buf[4096];
            if (std::size_t n = input.handle(&p[1], buf, std::min(sizeof buf, kInputMax - to_zone.size())))
                to_zone.append(buf, n);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bulkhead-zone-backend: %s\n", e.what());
        return input.report(BackendEnd::error);
    }
}

} // namespace bh::zoned
