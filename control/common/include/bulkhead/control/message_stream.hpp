// SPDX-License-Identifier: GPL-2.0-only
// Newline-delimited JSON on a byte stream: MessageReader splits what
// arrives into messages (for zoned's non-blocking loop and for clients),
// MessageConnection is a client's blocking end of a connection.
#pragma once

#include <bulkhead/control/fd.hpp>
#include <bulkhead/control/protocol.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bh::control {

class MessageReader {
  public:
    // Throws ProtocolError once a line grows past kMaxMessageBytes.
    void feed(std::string_view bytes);
    // The next complete message; ProtocolError if it is not JSON. Blank
    // lines are skipped.
    std::optional<json> next();
    bool has_partial() const { return !buffer_.empty(); }

  private:
    std::string buffer_;
    std::size_t scanned_ = 0; // bytes of buffer_ known to hold no newline
};

class MessageConnection {
  public:
    explicit MessageConnection(Fd fd) : fd_(std::move(fd)) {}
    // Connects to zoned's socket; std::system_error if nobody listens.
    static MessageConnection connect(const std::string& path);

    void send(const json& message, std::span<const int> fds = {});
    // Blocks for the next message; nullopt when the peer closed.
    std::optional<json> receive();
    // A reply to a request: receive() that treats EOF as an error and
    // throws RequestError for {"ok": false}.
    json request(const json& message, std::span<const int> fds = {});
    // Reads what is available now without blocking past it (for a poll
    // loop): false when the peer closed.
    bool read_available();
    std::optional<json> next_buffered() { return reader_.next(); }
    int fd() const { return fd_.get(); }

  private:
    Fd fd_;
    MessageReader reader_;
    std::vector<Fd> received_fds_; // clients expect none: dropped
};

} // namespace bh::control
