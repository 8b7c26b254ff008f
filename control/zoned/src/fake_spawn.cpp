// SPDX-License-Identifier: GPL-2.0-only
// Starting a fake zone's process. It must not be zoned's child: a real
// zone outlives zoned, and zoned reaps only its backends. So: fork, fork
// again, the middle process exits, the zone's process is adopted by init
// (or a subreaper) in a session of its own. Between fork and exec only
// async-signal-safe calls are made, since zoned's tests fork from a
// process with several threads.
#include <bulkhead/zoned/fake_hypervisor.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bh::zoned {

using control::errno_error;
using control::Fd;

namespace {

// The zone process's descriptors: 0, 1 /dev/null; 2 zoned's stderr;
// 3 its console's listening socket; 4 its `alive` lock.
constexpr int kListenFd = 3;
constexpr int kAliveFd = 4;

// A copy at 10 or above, so that dup2() onto 0-4 in the child never
// overwrites a descriptor still to be moved.
Fd high_copy(int fd) {
    Fd copy(::fcntl(fd, F_DUPFD_CLOEXEC, 10));
    if (!copy) throw errno_error("fcntl(F_DUPFD_CLOEXEC)");
    return copy;
}

Fd listen_console(const std::filesystem::path& path) {
    ::unlink(path.c_str());
    Fd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!sock) throw errno_error("socket");
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string p = path.string();
    if (p.size() >= sizeof addr.sun_path) throw std::system_error(ENAMETOOLONG, std::generic_category(), p);
    p.copy(addr.sun_path, p.size());
    if (::bind(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) throw errno_error("bind " + p);
    if (::listen(sock.get(), 4) < 0) throw errno_error("listen " + p);
    return sock;
}

} // namespace

int FakeHypervisor::spawn_runner(ZoneHandle zone) {
    Fd listen = high_copy(listen_console(state_.console_path(zone)).get());
    Fd alive_file(::open(state_.alive_path(zone).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!alive_file) throw errno_error("open " + state_.alive_path(zone).string());
    // Taken here, before the process exists, so the zone counts as alive
    // from the moment start() returns; the lock belongs to the open file,
    // which only the zone's process keeps.
    if (::flock(alive_file.get(), LOCK_EX | LOCK_NB) < 0)
        throw errno_error("flock " + state_.alive_path(zone).string());
    Fd alive = high_copy(alive_file.get());
    alive_file.reset();
    Fd devnull_file(::open("/dev/null", O_RDWR | O_CLOEXEC));
    if (!devnull_file) throw errno_error("open /dev/null");
    Fd devnull = high_copy(devnull_file.get());
    devnull_file.reset();
    auto [pid_r, pid_w] = control::make_pipe();
    auto [err_r, err_w] = control::make_pipe();

    std::string runner = options_.runner.string();
    std::string dir = state_.dir().string();
    std::string handle = std::to_string(zone);
    char* argv[] = {runner.data(), dir.data(), handle.data(), nullptr};
    char* envp[] = {nullptr};

    pid_t middle = ::fork();
    if (middle < 0) throw errno_error("fork");
    if (middle == 0) {
        pid_t pid = ::fork();
        if (pid == 0) {
            ::setsid();
            ::signal(SIGPIPE, SIG_DFL);
            int err = 0;
            if (::dup2(devnull.get(), 0) < 0 || ::dup2(devnull.get(), 1) < 0 || ::dup2(listen.get(), kListenFd) < 0 ||
                ::dup2(alive.get(), kAliveFd) < 0 ||
                ::close_range(kAliveFd + 1, ~0U, CLOSE_RANGE_CLOEXEC) < 0) // the rest closes at exec
                err = errno;
            if (err == 0) {
                ::execve(argv[0], argv, envp);
                err = errno;
            }
            [[maybe_unused]] ssize_t n = ::write(err_w.get(), &err, sizeof err);
            ::_exit(127);
        }
        [[maybe_unused]] ssize_t n = ::write(pid_w.get(), &pid, sizeof pid);
        ::_exit(pid < 0 ? 1 : 0);
    }
    pid_w.reset();
    err_w.reset();
    listen.reset();
    alive.reset();
    int status = 0;
    while (::waitpid(middle, &status, 0) < 0 && errno == EINTR) {}
    pid_t pid = -1;
    if (::read(pid_r.get(), &pid, sizeof pid) != static_cast<ssize_t>(sizeof pid) || pid <= 0)
        throw std::runtime_error("fake hypervisor: could not fork a zone process");
    int err = 0;
    ssize_t n;
    while ((n = ::read(err_r.get(), &err, sizeof err)) < 0 && errno == EINTR) {}
    if (n == static_cast<ssize_t>(sizeof err))
        throw HypervisorError(HvErrc::io, "fake hypervisor: cannot run " + runner + ": " + std::strerror(err));
    return pid;
}

void FakeHypervisor::kill_all_zones(const std::filesystem::path& state_dir) {
    if (!std::filesystem::exists(state_dir / "host.json")) return;
    fake::FakeState state(state_dir);
    auto guard = state.lock();
    for (const fake::FakeZone& z : state.zones())
        if (z.runner_pid > 0 && state.runner_alive(z.handle)) ::kill(z.runner_pid, SIGKILL);
}

} // namespace bh::zoned
