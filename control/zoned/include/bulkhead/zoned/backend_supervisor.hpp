// SPDX-License-Identifier: GPL-2.0-only
// One backend process per zone, started, watched and reaped by zoned.
//
// A backend gets exactly: /dev/null as 0 and 1, zoned's stderr as 2, the
// zone's console as 3, a socket from zoned for console input as 4, the
// zone's log directory as 5 and the socket a later zoned sends console
// input through as 6 (backend_loop.hpp). Nothing else of zoned
// or of other zones reaches it: descriptors are close-on-exec and the
// child closes the rest. When zoned runs as root each backend runs as the
// zone's own uid and gid (credentials come from ZoneManager), always with
// no_new_privs, and installs its seccomp filter itself before it touches
// zone data (sandbox.hpp).
//
// Whether and when to restart a backend that died is ZoneManager's call
// (it needs the hypervisor for fresh descriptors); RestartTracker is the
// policy: exponential back-off, and a limit of restarts in a time window.
#pragma once

#include <bulkhead/control/fd.hpp>
#include <bulkhead/zoned/backend_loop.hpp>
#include <bulkhead/zoned/hypervisor.hpp>
#include <bulkhead/zoned/sandbox.hpp>

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bh::zoned {

using Clock = std::chrono::steady_clock;

struct RestartPolicy {
    unsigned max_restarts = 5; // within `window`, then give up
    std::chrono::milliseconds window{60'000};
    std::chrono::milliseconds first_delay{100}; // doubled each time within the window
    std::chrono::milliseconds max_delay{5'000};
};

class RestartTracker {
  public:
    // The delay before the next restart, or nullopt: too many, give up.
    std::optional<std::chrono::milliseconds> next_delay(const RestartPolicy& policy, Clock::time_point now);

  private:
    std::deque<Clock::time_point> recent_;
};

struct BackendExit {
    std::string zone;
    int wait_status = 0; // as waitpid(2) gives it
};

class BackendSupervisor {
  public:
    BackendSupervisor(std::filesystem::path executable, BackendLimits limits);
    // Leaves every backend running: each serves its zone's console until
    // the zone ends (a virtio device's state lives only in it), zoned or
    // not, and a later zoned re-attaches to it (adopt()).
    ~BackendSupervisor() = default;

    // Starts the zone's backend; std::system_error if it cannot.
    // `input_listener`: a bound socket the backend listens on for a later
    // zoned's console input (invalid: none).
    void start(const std::string& zone, ZoneChannels channels, control::Fd log_dir,
               const std::optional<Credentials>& credentials, control::Fd input_listener);
    // Takes over a backend an earlier zoned started, through a connection
    // to its input listener: input goes there, and its end comes as one
    // byte, its exit status (it is not our child). False if its process
    // cannot be named (SO_PEERCRED, pidfd_open).
    bool adopt(const std::string& zone, control::Fd connection);
    // Kills (SIGKILL) the zone's backend, if it has one, and waits for it.
    void stop(const std::string& zone);
    // Console input for the zone; false if its backend is not running.
    bool send_input(const std::string& zone, std::string_view bytes);

    std::optional<int> pid(const std::string& zone) const;
    // For poll(): our children's pidfds, adopted backends' connections;
    // collect_exits() after any is readable.
    std::vector<int> poll_fds() const;
    std::vector<BackendExit> collect_exits();

  private:
    struct Backend {
        pid_t pid = -1;
        control::Fd pidfd;
        control::Fd input; // our end of its fd 4, or our connection to its fd 6
        bool adopted = false;
    };
    std::optional<int> ended(Backend& backend);
    std::filesystem::path executable_;
    BackendLimits limits_;
    std::map<std::string, Backend> backends_;
};

} // namespace bh::zoned
