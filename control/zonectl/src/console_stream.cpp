// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zonectl/console_stream.hpp>
#include <bulkhead/zonectl/exit_codes.hpp>
#include <bulkhead/zonectl/raw_terminal.hpp>

#include <bulkhead/control/base64.hpp>

#include <cerrno>
#include <poll.h>
#include <unistd.h>

namespace bh::zonectl {

using control::json;

namespace {

[[noreturn]] void broken_off() {
    throw CommandError(Exit::failed, "zoned closed the connection before the stream ended: see zoned's log");
}

// Handles one stream message; the end, once it comes.
std::optional<StreamEnd> take(const json& message) {
    std::string kind = control::string_field(message, "stream");
    if (kind == "output") {
        auto bytes = control::base64_decode(control::string_field(message, "data"));
        if (!bytes) throw control::ProtocolError("console output is not base64");
        control::write_all(STDOUT_FILENO, *bytes);
        return std::nullopt;
    }
    if (kind == "end") {
        StreamEnd end;
        if (const json& zone = control::field(message, "zone"); !zone.is_null())
            end.zone = control::zone_info_from(zone);
        return end;
    }
    throw control::ProtocolError("unknown stream message '" + kind + "'");
}

} // namespace

StreamEnd copy_stream(control::MessageConnection& connection) {
    for (;;) {
        auto message = connection.receive();
        if (!message) broken_off();
        if (auto end = take(*message)) return *end;
    }
}

StreamEnd run_console(control::MessageConnection& connection) {
    RawTerminal raw(STDIN_FILENO);
    bool input_open = true;
    for (;;) {
        while (auto message = connection.next_buffered())
            if (auto end = take(*message)) return *end;
        pollfd fds[2] = {{connection.fd(), POLLIN, 0}, {STDIN_FILENO, static_cast<short>(input_open ? POLLIN : 0), 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            throw control::errno_error("poll");
        }
        if (fds[0].revents && !connection.read_available()) broken_off();
        if (!(fds[1].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char buf[4096];
        ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) { // end of input: keep showing output until the zone ends
            input_open = false;
            continue;
        }
        std::string_view typed(buf, static_cast<std::size_t>(n));
        std::size_t detach = typed.find(kDetachByte);
        if (!typed.substr(0, detach).empty()) connection.send(control::stream_input(typed.substr(0, detach)));
        if (detach != std::string_view::npos) {
            connection.send(control::stream_detach());
            return StreamEnd{true, std::nullopt};
        }
    }
}

} // namespace bh::zonectl
