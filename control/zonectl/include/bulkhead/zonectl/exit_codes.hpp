// SPDX-License-Identifier: GPL-2.0-only
// zonectl's exit statuses (docs/zonectl.md, "Exit statuses"): scripts tell
// "zoned said no" from "zoned is not there" without parsing messages.
// `launch --wait` and `--attach` return the workload's own status instead,
// so their own failures use 125, as `docker run` does, to stay apart from
// the statuses a workload commonly returns.
#pragma once

#include <stdexcept>
#include <string>

namespace bh::zonectl {

enum class Exit : int {
    ok = 0,
    refused = 1,        // zoned refused the request: the message names the zone and what to do
    usage = 2,          // the command line is wrong
    unreachable = 3,    // nobody answers on zoned's socket
    failed = 4,         // zoned broke off, or sent what zonectl cannot read
    launch_failed = 125 // launch --wait/--attach: the launch itself failed (not the workload)
};

// A failure zonectl reports itself, with the status it exits with.
class CommandError : public std::runtime_error {
  public:
    CommandError(Exit exit, const std::string& message) : std::runtime_error(message), exit_(exit) {}
    Exit exit() const { return exit_; }

  private:
    Exit exit_;
};

} // namespace bh::zonectl
