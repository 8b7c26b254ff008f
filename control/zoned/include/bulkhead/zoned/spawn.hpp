// SPDX-License-Identifier: GPL-2.0-only
// fork/exec of a child with exactly the descriptors it is given, in a
// session of its own, killed if its parent dies, optionally under other
// credentials (sandbox.hpp). Between fork and exec the child makes only
// async-signal-safe calls (zoned's tests fork from several threads); a
// step that fails there comes back to the parent as an exception naming
// the step and the errno.
#pragma once

#include <bulkhead/control/fd.hpp>
#include <bulkhead/zoned/sandbox.hpp>

#include <optional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace bh::zoned {

struct SpawnSpec {
    std::string executable;
    std::vector<std::string> args;          // argv[1...]
    std::vector<std::pair<int, int>> fds;   // {descriptor here, number in the child}; nothing else is inherited
    std::optional<Credentials> credentials; // run as these, or with no new privileges as we are
    bool kill_with_parent = true;           // PR_SET_PDEATHSIG SIGKILL
};

struct Spawned {
    pid_t pid = -1;
    control::Fd pidfd; // readable when the child has exited
};

Spawned spawn_process(const SpawnSpec& spec);

// waitpid(pid, WNOHANG) for this child only (never anyone else's);
// nullopt if it is still running.
std::optional<int> reap(pid_t pid);

} // namespace bh::zoned
