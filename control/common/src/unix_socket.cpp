// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/control/unix_socket.hpp>

#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace bh::control {

namespace {

sockaddr_un address_of(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path)
        throw std::system_error(ENAMETOOLONG, std::generic_category(), "socket path " + path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return addr;
}

} // namespace

Fd listen_unix(const std::string& path, mode_t mode) {
    sockaddr_un addr = address_of(path);
    Fd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!sock) throw errno_error("socket");
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    if (::bind(sock.get(), sa, sizeof addr) < 0) {
        if (errno != EADDRINUSE) throw errno_error("bind " + path);
        // A socket file is there: reuse it only if nobody answers on it.
        Fd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (probe && ::connect(probe.get(), sa, sizeof addr) == 0)
            throw std::system_error(EADDRINUSE, std::generic_category(), "another process listens on " + path);
        ::unlink(path.c_str());
        if (::bind(sock.get(), sa, sizeof addr) < 0) throw errno_error("bind " + path);
    }
    if (::chmod(path.c_str(), mode) < 0) throw errno_error("chmod " + path);
    if (::listen(sock.get(), 64) < 0) throw errno_error("listen " + path);
    return sock;
}

Fd connect_unix(const std::string& path) {
    sockaddr_un addr = address_of(path);
    Fd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!sock) throw errno_error("socket");
    int rc;
    do {
        rc = ::connect(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) throw errno_error("connect " + path);
    return sock;
}

void send_with_fds(int sock, std::string_view data, std::span<const int> fds) {
    if (fds.size() > kMaxFdsPerMessage) throw std::system_error(EINVAL, std::generic_category(), "too many fds");
    if (data.empty()) throw std::system_error(EINVAL, std::generic_category(), "fds need a byte to travel with");
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFdsPerMessage)] = {};
    bool first = true;
    while (!data.empty()) {
        iovec iov{const_cast<char*>(data.data()), data.size()};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        if (first && !fds.empty()) {
            msg.msg_control = control;
            msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
            cmsghdr* c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
            std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
        }
        ssize_t n = ::sendmsg(sock, &msg, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw errno_error("sendmsg");
        }
        first = false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

ssize_t recv_with_fds(int sock, char* buf, std::size_t size, std::vector<Fd>& fds) {
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFdsPerMessage)] = {};
    iovec iov{buf, size};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    do {
        n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return n;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < count; ++i) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
            fds.emplace_back(fd);
        }
    }
    // MSG_CTRUNC: more descriptors than we take were sent; the kernel has
    // closed the excess, and the message that needed them will fail.
    return n;
}

} // namespace bh::control
