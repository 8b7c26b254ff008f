// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zonectl/client.hpp>
#include <bulkhead/zonectl/commands.hpp>
#include <bulkhead/zonectl/console_stream.hpp>
#include <bulkhead/zonectl/exit_codes.hpp>
#include <bulkhead/zonectl/tables.hpp>

#include <ctime>
#include <iostream>
#include <unistd.h>

namespace bh::zonectl {

using control::json;

namespace {

json request_for(const char* op, const std::string& name) {
    json r = control::make_request(op);
    r["name"] = name;
    return r;
}

void print(const std::string& text) { control::write_all(STDOUT_FILENO, text); }

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

// Opens a log or console stream on a connection of its own.
control::MessageConnection open_stream(const Context& ctx, const char* op, const std::string& name, bool follow,
                                       bool from_start) {
    control::MessageConnection connection = connect_to_zoned(ctx.socket);
    json r = request_for(op, name);
    r["follow"] = follow;
    r["from_start"] = from_start;
    connection.request(r);
    return connection;
}

int status_at_end(const std::string& name, const StreamEnd& end) {
    if (end.detached) {
        std::cerr << "\r\nzonectl: detached from zone '" << name << "'; it runs on (zonectl console " << name
                  << " attaches again)\n";
        return static_cast<int>(Exit::ok);
    }
    if (!end.zone)
        throw CommandError(Exit::launch_failed, "zone '" + name + "' was destroyed before it ended: no status");
    return end.zone->exit ? end.zone->exit->status : static_cast<int>(Exit::ok);
}

} // namespace

int cmd_launch(const Context& ctx, const LaunchOptions& options, LaunchMode mode) {
    bool streams = mode.attach || mode.wait;
    std::optional<control::MessageConnection> stream;
    try {
        PreparedLaunch launch = prepare_launch(options);
        std::vector<int> fds;
        for (const control::Fd& f : launch.files) fds.push_back(f.get());
        json r = control::make_request("launch");
        r.update(json(launch.request));
        ask_zoned(ctx.socket, r, fds);
        if (!streams) {
            print(options.name + "\n");
            return static_cast<int>(Exit::ok);
        }
        // From the log's start: what the zone said before the stream opened
        // is shown too.
        stream = open_stream(ctx, mode.attach ? "console" : "logs", options.name, true, true);
    } catch (const CommandError& e) {
        if (!streams) throw;
        throw CommandError(Exit::launch_failed, e.what());
    } catch (const control::RequestError& e) {
        if (!streams) throw;
        throw CommandError(Exit::launch_failed, e.what());
    }
    StreamEnd end = mode.attach ? run_console(*stream) : copy_stream(*stream);
    if (end.detached && mode.wait) {
        // Detached from an attached --wait: wait on without input.
        stream = open_stream(ctx, "logs", options.name, true, false);
        end = copy_stream(*stream);
    }
    return status_at_end(options.name, end);
}

int cmd_list(const Context& ctx, Output output) {
    json reply = ask_zoned(ctx.socket, control::make_request("list"));
    const json& zones = control::field(reply, "zones");
    if (output == Output::json) {
        print(zones.dump(2) + "\n");
        return static_cast<int>(Exit::ok);
    }
    std::vector<control::ZoneInfo> infos;
    for (const json& z : zones) infos.push_back(control::zone_info_from(z));
    print(zone_table(infos, now()));
    return static_cast<int>(Exit::ok);
}

int cmd_info(const Context& ctx, const std::string& name, Output output) {
    json reply = ask_zoned(ctx.socket, request_for("info", name));
    const json& zone = control::field(reply, "zone");
    print(output == Output::json ? zone.dump(2) + "\n" : zone_details(control::zone_info_from(zone), now()));
    return static_cast<int>(Exit::ok);
}

int cmd_console(const Context& ctx, const std::string& name) {
    control::MessageConnection stream = open_stream(ctx, "console", name, true, false);
    if (::isatty(STDIN_FILENO)) std::cerr << "zonectl: attached to zone '" << name << "': Ctrl-] detaches\r\n";
    StreamEnd end = run_console(stream);
    if (end.detached) return status_at_end(name, end);
    if (end.zone && end.zone->exit) std::cerr << "\r\nzonectl: zone '" << name << "' " << state_text(*end.zone) << "\n";
    return static_cast<int>(Exit::ok);
}

int cmd_logs(const Context& ctx, const std::string& name, bool follow) {
    control::MessageConnection stream = open_stream(ctx, "logs", name, follow, true);
    copy_stream(stream);
    return static_cast<int>(Exit::ok);
}

int cmd_change_state(const Context& ctx, const std::string& op, const std::string& name) {
    json reply = ask_zoned(ctx.socket, request_for(op.c_str(), name));
    control::ZoneInfo zone = control::zone_info_from(control::field(reply, "zone"));
    print("zone '" + name + "' is " + state_text(zone) + "\n");
    return static_cast<int>(Exit::ok);
}

int cmd_destroy(const Context& ctx, const std::string& name, bool force) {
    json r = request_for("destroy", name);
    r["force"] = force;
    ask_zoned(ctx.socket, r);
    return static_cast<int>(Exit::ok);
}

int cmd_host_info(const Context& ctx, Output output) {
    json reply = ask_zoned(ctx.socket, control::make_request("host_info"));
    const json& host = control::field(reply, "host");
    print(output == Output::json ? host.dump(2) + "\n" : host_details(control::host_info_from(host)));
    return static_cast<int>(Exit::ok);
}

} // namespace bh::zonectl
