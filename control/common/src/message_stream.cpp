// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/control/message_stream.hpp>
#include <bulkhead/control/unix_socket.hpp>

#include <cerrno>
#include <sys/socket.h>

namespace bh::control {

void MessageReader::feed(std::string_view bytes) {
    buffer_.append(bytes);
    std::size_t newline = buffer_.find('\n', scanned_);
    std::size_t line = newline == std::string::npos ? buffer_.size() : newline;
    if (line > kMaxMessageBytes)
        throw ProtocolError("a message is longer than " + std::to_string(kMaxMessageBytes) + " bytes");
}

std::optional<json> MessageReader::next() {
    for (;;) {
        std::size_t newline = buffer_.find('\n', scanned_);
        if (newline == std::string::npos) {
            scanned_ = buffer_.size();
            return std::nullopt;
        }
        std::string line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        scanned_ = 0;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        try {
            return json::parse(line);
        } catch (const json::parse_error& e) {
            throw ProtocolError(std::string("a message is not JSON: ") + e.what());
        }
    }
}

MessageConnection MessageConnection::connect(const std::string& path) { return MessageConnection(connect_unix(path)); }

void MessageConnection::send(const json& message, std::span<const int> fds) {
    send_with_fds(fd_.get(), frame(message), fds);
}

std::optional<json> MessageConnection::receive() {
    for (;;) {
        if (auto m = reader_.next()) return m;
        char buf[65536];
        ssize_t n = recv_with_fds(fd_.get(), buf, sizeof buf, received_fds_);
        received_fds_.clear();
        if (n < 0) throw errno_error("receive from zoned");
        if (n == 0) return std::nullopt;
        reader_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    }
}

json MessageConnection::request(const json& message, std::span<const int> fds) {
    send(message, fds);
    auto reply = receive();
    if (!reply) throw ProtocolError("zoned closed the connection without replying");
    check_reply(*reply);
    return std::move(*reply);
}

bool MessageConnection::read_available() {
    char buf[65536];
    ssize_t n = ::recv(fd_.get(), buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return true;
        throw errno_error("receive from zoned");
    }
    if (n == 0) return false;
    reader_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    return true;
}

} // namespace bh::control
