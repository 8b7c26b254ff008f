// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/log.hpp>
#include <bulkhead/zoned/server.hpp>

#include <bulkhead/control/base64.hpp>
#include <bulkhead/control/unix_socket.hpp>

#include <algorithm>
#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace bh::zoned {

using control::ErrorCode;
using control::json;
using control::RequestError;

namespace {

constexpr std::size_t kMaxConnections = 256;
constexpr std::size_t kOutHighWater = 1 << 20; // a stream waits for its client beyond this
constexpr int kStreamPollMs = 50;              // how often followed logs are looked at

} // namespace

Server::Server(const std::string& socket_path, mode_t mode, ZoneManager& manager, unsigned log_keep)
    : path_(socket_path), listen_(control::listen_unix(socket_path, mode)), manager_(manager), log_keep_(log_keep) {}

Server::~Server() { ::unlink(path_.c_str()); }

void Server::run(int stop_fd) {
    for (;;) {
        std::vector<pollfd> fds{{stop_fd, POLLIN, 0}, {listen_.get(), POLLIN, 0}};
        std::vector<int> manager_fds = manager_.poll_fds();
        for (int fd : manager_fds) fds.push_back({fd, POLLIN, 0});
        std::size_t first_conn = fds.size();
        bool streaming = false;
        for (Connection& c : connections_) {
            short events = c.closing ? 0 : POLLIN;
            if (!c.out.empty()) events |= POLLOUT;
            fds.push_back({c.fd.get(), events, 0});
            streaming |= c.stream != nullptr;
        }
        auto now = Clock::now();
        auto wait = std::chrono::ceil<std::chrono::milliseconds>(manager_.next_deadline() - now).count();
        int timeout = static_cast<int>(std::clamp<long long>(wait, 0, 60'000));
        if (streaming) timeout = std::min(timeout, kStreamPollMs);
        if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) throw control::errno_error("poll");
        if (fds[0].revents) return;
        if (fds[1].revents & POLLIN) accept_clients();
        for (std::size_t i = 0; i < manager_fds.size(); ++i)
            if (fds[2 + i].revents) manager_.on_readable(manager_fds[i]);
        manager_.tick(Clock::now());

        std::size_t i = first_conn;
        for (Connection& c : connections_) {
            if (i >= fds.size()) break; // accepted during this round
            short revents = fds[i++].revents;
            if (revents & (POLLIN | POLLHUP | POLLERR)) read_from(c);
        }
        for (auto it = connections_.begin(); it != connections_.end();) {
            if (it->stream && !it->closing) pump(*it);
            flush(*it);
            if (it->closing && (it->out.empty() || !it->fd))
                it = connections_.erase(it);
            else
                ++it;
        }
    }
}

void Server::accept_clients() {
    for (;;) {
        int fd = ::accept4(listen_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) return;
        if (connections_.size() >= kMaxConnections) {
            ::close(fd); // zonectl reports the closed connection
            continue;
        }
        connections_.emplace_back();
        connections_.back().fd = control::Fd(fd);
    }
}

void Server::read_from(Connection& c) {
    char buf[65536];
    ssize_t n = control::recv_with_fds(c.fd.get(), buf, sizeof buf, c.fds);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) { // the client left (a console client's detach, too)
        c.closing = true;
        c.out.clear();
        c.fd.reset();
        return;
    }
    try {
        c.reader.feed(std::string_view(buf, static_cast<std::size_t>(n)));
        while (!c.closing) {
            auto message = c.reader.next();
            if (!message) break;
            handle(c, *message);
        }
    } catch (const control::ProtocolError& e) {
        send(c,
             control::error_reply(ErrorCode::bad_request, std::string("zoned cannot read the request: ") + e.what()));
        c.closing = true; // the stream is out of step: start again on a new connection
    }
}

void Server::handle(Connection& c, const json& message) {
    if (c.stream) {
        handle_stream_message(c, message);
        return;
    }
    json reply;
    try {
        reply = dispatch(c, message);
    } catch (const RequestError& e) {
        reply = control::error_reply(e.code(), e.what());
    } catch (const control::ProtocolError& e) {
        reply = control::error_reply(ErrorCode::bad_request, std::string("bad request: ") + e.what());
    } catch (const std::exception& e) {
        log_line(std::string("internal error: ") + e.what());
        reply =
            control::error_reply(ErrorCode::internal, std::string("zoned failed: ") + e.what() + " (see zoned's log)");
    }
    c.fds.clear(); // descriptors belong to the request they came with
    send(c, reply);
}

json Server::dispatch(Connection& c, const json& req) {
    auto version = control::uint_field(req, "v");
    if (version != control::kProtocolVersion)
        throw RequestError(ErrorCode::bad_request,
                           "zoned speaks protocol " + std::to_string(control::kProtocolVersion) + ", the client " +
                               std::to_string(version) + ": use the zonectl that came with this zoned");
    std::string op = control::string_field(req, "op");
    auto name = [&] { return control::string_field(req, "name"); };
    if (op == "launch") {
        std::vector<control::Fd> files = std::move(c.fds);
        return control::ok_reply(json{{"zone", manager_.launch(control::launch_request_from(req), std::move(files))}});
    }
    if (op == "list") return control::ok_reply(json{{"zones", manager_.list()}});
    if (op == "info") return control::ok_reply(json{{"zone", manager_.info(name())}});
    if (op == "pause") return control::ok_reply(json{{"zone", manager_.pause(name())}});
    if (op == "resume") return control::ok_reply(json{{"zone", manager_.resume(name())}});
    if (op == "stop") return control::ok_reply(json{{"zone", manager_.stop(name())}});
    if (op == "destroy") {
        manager_.destroy(name(), control::bool_field(req, "force", false));
        return control::ok_reply();
    }
    if (op == "host_info") return control::ok_reply(json{{"host", manager_.host_info()}});
    if (op == "logs") return open_stream(c, req, false);
    if (op == "console") return open_stream(c, req, true);
    throw RequestError(ErrorCode::bad_request, "unknown request '" + op + "': see zonectl --help");
}

json Server::open_stream(Connection& c, const json& req, bool console) {
    std::string zone = control::string_field(req, "name");
    control::ZoneInfo info = manager_.info(zone); // not_found for an unknown zone
    bool from_start = control::bool_field(req, "from_start", !console);
    if (console && control::has_ended(info.state) && !from_start)
        throw RequestError(ErrorCode::bad_state, "zone '" + zone + "' has " +
                                                     std::string(control::to_string(info.state)) + " (status " +
                                                     std::to_string(info.exit ? info.exit->status : 0) +
                                                     "): nothing to attach to; see zonectl logs " + zone);
    auto from = from_start ? LogFollower::From::start : LogFollower::From::end;
    c.stream = std::make_unique<Stream>(Stream{zone, LogFollower(manager_.log_dir(zone), log_keep_, from),
                                               console || control::bool_field(req, "follow", false), console});
    return control::ok_reply();
}

void Server::handle_stream_message(Connection& c, const json& message) {
    if (!c.stream->console) return; // a log stream expects nothing
    std::string kind = control::string_field(message, "stream");
    if (kind == "detach") {
        c.closing = true;
        return;
    }
    if (kind == "input") {
        auto bytes = control::base64_decode(control::string_field(message, "data"));
        if (!bytes) throw control::ProtocolError("console input is not base64");
        try {
            manager_.send_input(c.stream->zone, *bytes);
        } catch (const RequestError&) {
            // No backend at this moment (restarting): input typed now is lost,
            // as on a serial console.
        }
    }
}

void Server::pump(Connection& c) {
    Stream& s = *c.stream;
    while (c.out.size() < kOutHighWater) {
        // Whether the log is complete is decided before reading it: bytes
        // written before completion are then certainly read below.
        bool complete = !s.follow || manager_.output_complete(s.zone);
        std::string data = s.follower.read(control::kStreamChunk);
        if (!data.empty()) {
            send(c, control::stream_output(data));
            continue;
        }
        if (!complete) return;
        std::optional<control::ZoneInfo> info;
        if (manager_.exists(s.zone)) info = manager_.info(s.zone);
        send(c, control::stream_end(info));
        c.closing = true;
        return;
    }
}

void Server::send(Connection& c, const json& message) { c.out += control::frame(message); }

void Server::flush(Connection& c) {
    while (c.fd && !c.out.empty()) {
        ssize_t n = ::send(c.fd.get(), c.out.data(), c.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            c.out.erase(0, static_cast<std::size_t>(n));
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            if (n < 0 && errno != EAGAIN) { // the client is gone
                c.closing = true;
                c.out.clear();
                c.fd.reset();
            }
            return;
        }
    }
}

} // namespace bh::zoned
