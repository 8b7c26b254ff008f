// SPDX-License-Identifier: GPL-2.0-only
// zonectl's commands, each a request to zoned (and for some, a stream
// after it). Each returns zonectl's exit status (exit_codes.hpp) and
// throws CommandError or control::RequestError for failures, which main()
// reports.
#pragma once

#include <bulkhead/zonectl/launch_request.hpp>

#include <string>

namespace bh::zonectl {

enum class Output { table, json };

struct Context {
    std::string socket;
};

struct LaunchMode {
    bool attach = false; // interactive console until Ctrl-] or the end
    bool wait = false;   // output to stdout until the end; the workload's status
};

int cmd_launch(const Context& ctx, const LaunchOptions& options, LaunchMode mode);
int cmd_list(const Context& ctx, Output output);
int cmd_info(const Context& ctx, const std::string& name, Output output);
int cmd_console(const Context& ctx, const std::string& name);
int cmd_logs(const Context& ctx, const std::string& name, bool follow);
// pause, resume and stop: the request, then the zone's state.
int cmd_change_state(const Context& ctx, const std::string& op, const std::string& name);
int cmd_destroy(const Context& ctx, const std::string& name, bool force);
int cmd_host_info(const Context& ctx, Output output);

} // namespace bh::zonectl
