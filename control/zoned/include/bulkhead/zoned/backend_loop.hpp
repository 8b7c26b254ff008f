// SPDX-License-Identifier: GPL-2.0-only
// The work of a zone's backend process (bulkhead-zone-backend), once it is
// sandboxed: what the zone transmits on its console goes to the zone's
// rotating log; what zoned sends (console input from `zonectl console`)
// goes to the zone. Kept apart from main() so the tests drive it.
//
// run_backend serves the fake hypervisor's zones, whose "console" is the
// byte stream it hands out (ZoneChannels::console); on /dev/bulkhead the
// backend runs run_virtio_backend (virtio_backend.hpp) instead, with the
// same sink and source and the zone's disks. The descriptors and
// InputPort below are shared by both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <poll.h>

namespace bh::zoned {

// The backend's descriptors, as zoned's supervisor sets them up.
struct BackendFds {
    int console = 3;        // the zone's console (read: from the zone; write: input)
    int input = 4;          // from zoned: console input; EOF when zoned is gone
    int log_dir = 5;        // the zone's own log directory
    int input_listener = 6; // bound by zoned, listened on here: a later zoned's console input
    int first_disk = 7;     // the virtio backend's disk i at first_disk + i (--disk MODE each)
};

struct BackendLimits {
    std::uint64_t log_max_bytes = 1 << 20;
    unsigned log_keep = 3;
};

// How the backend ends (its exit status, which zoned's supervisor reads).
enum class BackendEnd : int {
    drained = 0,    // the console ended: the zone ended and all it said is in the log
    error = 1,      // a descriptor failed; zoned restarts it
    zoned_gone = 3, // (no longer used: a backend outlives zoned, see InputPort)
};

// Console input. Backends outlive zoned (a zone's console device state,
// and what it prints, must not die with zoned), so input comes from
// zoned's socket (fd 4) and, once that zoned is gone, from whichever later
// zoned connects to the listener (fd 6, a socket zoned bound in its state
// directory): its connection replaces the one before. The backend's end is
// reported to the connected zoned as one byte, its exit status, since a
// zoned that re-attached is not its parent and cannot wait for it.
class InputPort {
  public:
    explicit InputPort(const BackendFds& fds);
    ~InputPort();
    InputPort(const InputPort&) = delete;
    InputPort& operator=(const InputPort&) = delete;

    // Fills two poll entries: the current connection (POLLIN when `want`
    // input), the listener.
    void poll_entries(pollfd* p, bool want) const;
    // After poll() on those entries: takes a newer zoned's connection and
    // reads input into buf; the bytes read, 0 if none.
    std::size_t handle(const pollfd* p, char* buf, std::size_t size);
    // Tells the connected zoned, if any, how the backend ended.
    // Returns `end`, so that a loop can `return input.report(end);`.
    BackendEnd report(BackendEnd end);

  private:
    int current_;  // -1: no zoned connected
    int listener_; // -1: none given
};

BackendEnd run_backend(const BackendFds& fds, const BackendLimits& limits);

} // namespace bh::zoned
