// SPDX-License-Identifier: GPL-2.0-only
#include "console_server.hpp"

#include <cerrno>
#include <poll.h>
#include <sys/socket.h>

namespace bh::zoned::fake {

void ConsoleServer::poll_once(int timeout_ms) {
    // One backend at a time, as a real zone's I/O fd (ZONE_IOREQ_FD) is
    // one backend's: another waits to be accepted until this one has gone.
    pollfd fds[2] = {{client_ ? -1 : listen_.get(), POLLIN, 0}, {client_ ? client_.get() : -1, 0, 0}};
    if (client_) fds[1].events = static_cast<short>(POLLIN | (pending_.empty() ? 0 : POLLOUT));
    int n = ::poll(fds, 2, timeout_ms);
    if (n <= 0) return;
    if (fds[0].revents & POLLIN)
        accept_client();
    else if (client_ && fds[1].revents) {
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) read_client();
        if (client_ && (fds[1].revents & POLLOUT)) flush();
    }
}

void ConsoleServer::accept_client() {
    int fd = ::accept4(listen_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;
    client_ = control::Fd(fd);
    flush();
}

void ConsoleServer::read_client() {
    char buf[4096];
    ssize_t n = ::recv(client_.get(), buf, sizeof buf, 0);
    if (n > 0) {
        input_.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        client_.reset(); // the backend went away: keep the output for the next one
    }
}

void ConsoleServer::flush() {
    while (client_ && !pending_.empty()) {
        ssize_t n = ::send(client_.get(), pending_.data(), pending_.size(), MSG_NOSIGNAL);
        if (n > 0) {
            pending_.erase(0, static_cast<std::size_t>(n));
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            if (errno != EAGAIN) client_.reset();
            return;
        }
    }
}

bool ConsoleServer::echo_input_until_eot() {
    std::size_t eot = input_.find('\x04');
    pending_ += input_.substr(0, eot);
    if (eot == std::string::npos) {
        input_.clear();
        return false;
    }
    input_.erase(0, eot + 1);
    flush();
    return true;
}

} // namespace bh::zoned::fake
