// SPDX-License-Identifier: GPL-2.0-only
// The work of a zone's backend process (bulkhead-zone-backend), once it is
// sandboxed: what the zone transmits on its console goes to the zone's
// rotating log; what zoned sends (console input from `zonectl console`)
// goes to the zone. Kept apart from main() so the tests drive it.
//
// Until control/virtio is wired to /dev/bulkhead, "the console" is the
// byte stream the Hypervisor hands out (ZoneChannels::console); the real
// backend will run bh::virtio::ConsoleDevice on the zone's virtio-mmio
// requests here instead, with the same sink and source.
#pragma once

#include <cstdint>

namespace bh::zoned {

// The backend's descriptors, as zoned's supervisor sets them up.
struct BackendFds {
    int console = 3; // the zone's console (read: from the zone; write: input)
    int input = 4;   // from zoned: console input; EOF when zoned is gone
    int log_dir = 5; // the zone's own log directory
};

struct BackendLimits {
    std::uint64_t log_max_bytes = 1 << 20;
    unsigned log_keep = 3;
};

// How the backend ends (its exit status, which zoned's supervisor reads).
enum class BackendEnd : int {
    drained = 0,    // the console ended: the zone ended and all it said is in the log
    error = 1,      // a descriptor failed; zoned restarts it
    zoned_gone = 3, // zoned closed our input: it died or is shutting down
};

BackendEnd run_backend(const BackendFds& fds, const BackendLimits& limits);

} // namespace bh::zoned
