// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/backend_supervisor.hpp>
#include <bulkhead/zoned/spawn.hpp>

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bh::zoned {

using control::Fd;

std::optional<std::chrono::milliseconds> RestartTracker::next_delay(const RestartPolicy& policy,
                                                                    Clock::time_point now) {
    while (!recent_.empty() && now - recent_.front() > policy.window) recent_.pop_front();
    if (recent_.size() >= policy.max_restarts) return std::nullopt;
    auto delay = policy.first_delay;
    for (std::size_t i = 0; i < recent_.size() && delay < policy.max_delay; ++i) delay *= 2;
    recent_.push_back(now);
    return std::min(delay, policy.max_delay);
}

BackendSupervisor::BackendSupervisor(std::filesystem::path executable, BackendLimits limits)
    : executable_(std::move(executable)), limits_(limits) {}

void BackendSupervisor::start(const std::string& zone, ZoneChannels channels, Fd log_dir,
                              const std::optional<Credentials>& credentials, Fd input_listener) {
    stop(zone); // at most one backend per zone
    auto [ours, theirs] = control::make_socketpair(SOCK_STREAM);
    control::set_nonblocking(ours.get(), true);
    Fd devnull(::open("/dev/null", O_RDWR | O_CLOEXEC));
    if (!devnull) throw control::errno_error("open /dev/null");
    SpawnSpec spec;
    spec.executable = executable_.string();
    spec.args = {"--zone",     zone,
                 "--log-max",  std::to_string(limits_.log_max_bytes),
                 "--log-keep", std::to_string(limits_.log_keep)};
    if (channels.virtio) spec.args.push_back("--virtio");
    // It outlives zoned: a virtio backend holds the zone's console device
    // state (queues, features), and killed with zoned the zone's console
    // would hang; a later zoned re-attaches to it.
    spec.kill_with_parent = false;
    BackendFds fixed;
    spec.fds = {{devnull.get(), 0},          {devnull.get(), 1},
                {STDERR_FILENO, 2},          {channels.console.get(), fixed.console},
                {theirs.get(), fixed.input}, {log_dir.get(), fixed.log_dir}};
    if (input_listener) spec.fds.push_back({input_listener.get(), fixed.input_listener});
    // Disk i at fixed.first_disk + i, its mode in the i-th --disk.
    for (std::size_t i = 0; i < channels.disks.size(); ++i) {
        spec.fds.push_back({channels.disks[i].file.get(), fixed.first_disk + static_cast<int>(i)});
        spec.args.push_back("--disk");
        spec.args.push_back(channels.disks[i].read_only ? "ro" : "rw");
    }
    spec.credentials = credentials;
    Spawned child = spawn_process(spec);
    backends_[zone] = Backend{child.pid, std::move(child.pidfd), std::move(ours), false};
    // Our copies of the zone's descriptors close here: the backend holds
    // the only ones, so its console reaches EOF when the zone's does.
}

bool BackendSupervisor::adopt(const std::string& zone, Fd connection) {
    ucred peer{};
    socklen_t len = sizeof peer;
    // The listener's process: the backend itself called listen().
    if (::getsockopt(connection.get(), SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0 || peer.pid <= 0) return false;
    Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, peer.pid, 0)));
    if (!pidfd) return false;
    stop(zone);
    control::set_nonblocking(connection.get(), true);
    backends_[zone] = Backend{peer.pid, std::move(pidfd), std::move(connection), true};
    return true;
}

void BackendSupervisor::stop(const std::string& zone) {
    auto it = backends_.find(zone);
    if (it == backends_.end()) return;
    Backend& b = it->second;
    if (b.adopted) {
        // Not our child: signal it through its pidfd (never a reused pid)
        // and wait until the pidfd says it has gone.
        ::syscall(SYS_pidfd_send_signal, b.pidfd.get(), SIGKILL, nullptr, 0);
        pollfd p{b.pidfd.get(), POLLIN, 0};
        while (::poll(&p, 1, 5000) < 0 && errno == EINTR) {}
    } else {
        ::kill(b.pid, SIGKILL);
        int status;
        while (::waitpid(b.pid, &status, 0) < 0 && errno == EINTR) {}
    }
    backends_.erase(it);
}

bool BackendSupervisor::send_input(const std::string& zone, std::string_view bytes) {
    auto it = backends_.find(zone);
    if (it == backends_.end()) return false;
    // Non-blocking: input for a zone that does not read is dropped rather
    // than stalling zoned (a console is interactive, not a pipe).
    ssize_t n = ::send(it->second.input.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    return n >= 0;
}

std::optional<int> BackendSupervisor::pid(const std::string& zone) const {
    auto it = backends_.find(zone);
    if (it == backends_.end()) return std::nullopt;
    return it->second.pid;
}

std::vector<int> BackendSupervisor::poll_fds() const {
    std::vector<int> fds;
    for (const auto& [zone, b] : backends_) fds.push_back(b.adopted ? b.input.get() : b.pidfd.get());
    return fds;
}

std::vector<BackendExit> BackendSupervisor::collect_exits() {
    std::vector<BackendExit> exits;
    for (auto it = backends_.begin(); it != backends_.end();) {
        if (auto status = ended(it->second)) {
            exits.push_back(BackendExit{it->first, *status});
            it = backends_.erase(it);
        } else {
            ++it;
        }
    }
    return exits;
}

std::optional<int> BackendSupervisor::ended(Backend& b) {
    if (!b.adopted) return reap(b.pid);
    char code;
    ssize_t n = ::recv(b.input.get(), &code, 1, MSG_DONTWAIT);
    if (n == 1) return W_EXITCODE(static_cast<unsigned char>(code), 0); // its report, as it exits
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return std::nullopt;
    return W_EXITCODE(0, SIGKILL); // gone without a word: it died
}

} // namespace bh::zoned
