// SPDX-License-Identifier: GPL-2.0-only
// zoned's socket and its one loop: accepts zonectl connections, answers
// requests one at a time per connection (ZoneManager does the work),
// streams console logs to `logs`, `console` and `launch --wait` clients
// and forwards console input, and runs the manager's timed work. One
// thread; nothing a client sends can stop the loop (a bad message gets an
// error reply; a client that does not read has its stream held back).
#pragma once

#include <bulkhead/control/fd.hpp>
#include <bulkhead/control/message_stream.hpp>
#include <bulkhead/zoned/log_follower.hpp>
#include <bulkhead/zoned/zone_manager.hpp>

#include <list>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace bh::zoned {

class Server {
  public:
    // Listens on `socket_path` (mode `mode`) at once, so clients can
    // connect before run() is called.
    Server(const std::string& socket_path, mode_t mode, ZoneManager& manager, unsigned log_keep);
    ~Server();

    // Serves until `stop_fd` becomes readable.
    void run(int stop_fd);

  private:
    struct Stream {
        std::string zone;
        LogFollower follower;
        bool follow = true;   // false: what the log holds now, then end
        bool console = false; // accepts input and detach
    };
    struct Connection {
        control::Fd fd;
        control::MessageReader reader;
        std::vector<control::Fd> fds; // descriptors received, for the next request
        std::string out;
        std::unique_ptr<Stream> stream;
        bool closing = false; // close once `out` is sent
    };

    void accept_clients();
    void read_from(Connection& c);
    void handle(Connection& c, const control::json& message);
    control::json dispatch(Connection& c, const control::json& request);
    void handle_stream_message(Connection& c, const control::json& message);
    control::json open_stream(Connection& c, const control::json& request, bool console);
    void pump(Connection& c);
    void flush(Connection& c);
    void send(Connection& c, const control::json& message);

    std::string path_;
    control::Fd listen_;
    ZoneManager& manager_;
    unsigned log_keep_;
    std::list<Connection> connections_;
};

} // namespace bh::zoned
