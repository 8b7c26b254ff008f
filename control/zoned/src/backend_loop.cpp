// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/backend_loop.hpp>
#include <bulkhead/zoned/rotating_log.hpp>

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

BackendEnd run_backend(const BackendFds& fds, const BackendLimits& limits) {
    try {
        RotatingLog log(fds.log_dir, limits.log_max_bytes, limits.log_keep);
        std::string to_zone;
        bool input_open = true;
        for (;;) {
            pollfd p[2] = {{fds.console, POLLIN, 0}, {fds.input, 0, 0}};
            if (!to_zone.empty()) p[0].events |= POLLOUT;
            if (input_open && to_zone.size() < kInputMax) p[1].events = POLLIN;
            if (::poll(p, 2, -1) < 0) {
                if (errno == EINTR) continue;
                return BackendEnd::error;
            }
            if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                char buf[65536];
                ssize_t n = read_some(fds.console, buf, sizeof buf);
                if (n < 0 && errno != EAGAIN) return BackendEnd::error;
                if (n == 0) {
                    log.sync();
                    return BackendEnd::drained;
                }
                if (n > 0) log.write(std::string_view(buf, static_cast<std::size_t>(n)));
            }
            if (p[0].revents & POLLOUT) {
                ssize_t n = ::send(fds.console, to_zone.data(), to_zone.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n > 0) to_zone.erase(0, static_cast<std::size_t>(n));
                // EPIPE: the zone's console is gone; its EOF comes on the read side.
            }
            if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
                char buf[4096];
                ssize_t n = read_some(fds.input, buf, std::min(sizeof buf, kInputMax - to_zone.size()));
                if (n == 0) {
                    log.sync();
                    return BackendEnd::zoned_gone;
                }
                if (n > 0) to_zone.append(buf, static_cast<std::size_t>(n));
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bulkhead-zone-backend: %s\n", e.what());
        return BackendEnd::error;
    }
}

} // namespace bh::zoned
