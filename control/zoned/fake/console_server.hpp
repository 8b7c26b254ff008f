// SPDX-License-Identifier: GPL-2.0-only
// A fake zone's console: output the zone has written and no backend has
// read yet, input a backend sent, and the one backend connection (a
// second backend is accepted only once the first has gone).
#pragma once

#include <bulkhead/control/fd.hpp>

#include <string>
#include <string_view>

namespace bh::zoned::fake {

class ConsoleServer {
  public:
    explicit ConsoleServer(int listen_fd) : listen_(listen_fd) {}

    void write(std::string_view bytes) { pending_ += bytes; }
    std::size_t pending() const { return pending_.size(); }
    // Waits up to timeout_ms (-1: forever) for a connection, input or room
    // to write, and handles what came.
    void poll_once(int timeout_ms);
    // `cat`: echoes input as it comes; true once a Ctrl-D (byte 4) ended it.
    bool echo_input_until_eot();

  private:
    void accept_client();
    void read_client();
    void flush();

    control::Fd listen_;
    control::Fd client_;
    std::string pending_, input_;
};

} // namespace bh::zoned::fake
