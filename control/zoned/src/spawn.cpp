// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/spawn.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bh::zoned {

using control::errno_error;
using control::Fd;

namespace {

// What failed in the child before exec, sent back through a pipe.
enum class Step : int { parent_died, signals, descriptors, credentials, no_new_privs, exec };

const char* step_name(Step s) {
    switch (s) {
    case Step::parent_died: return "parent died";
    case Step::signals: return "resetting signals";
    case Step::descriptors: return "arranging descriptors";
    case Step::credentials: return "dropping privileges";
    case Step::no_new_privs: return "setting no_new_privs";
    case Step::exec: return "exec";
    }
    return "?";
}

constexpr int kHighFd = 64; // child descriptor numbers stay below this

struct ChildError {
    Step step;
    int err;
};

[[noreturn]] void child_fail(int pipe_fd, Step step, int err) {
    ChildError e{step, err};
    [[maybe_unused]] ssize_t n = ::write(pipe_fd, &e, sizeof e);
    ::_exit(127);
}

// Runs in the child: only async-signal-safe calls from here to exec.
[[noreturn]] void child(const SpawnSpec& spec, char* const* argv, pid_t parent, int err_fd) {
    if (spec.kill_with_parent) {
        if (::prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || ::getppid() != parent)
            child_fail(err_fd, Step::parent_died, ESRCH);
    }
    ::setsid();
    sigset_t none;
    sigemptyset(&none);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    if (::sigprocmask(SIG_SETMASK, &none, nullptr) < 0 || ::sigaction(SIGPIPE, &dfl, nullptr) < 0)
        child_fail(err_fd, Step::signals, errno);
    // Move every source above every target first, so that no dup2() onto a
    // target overwrites a source still to be moved.
    int top = 0;
    for (const auto& [from, to] : spec.fds) top = std::max(top, to);
    int moved[16];
    if (spec.fds.size() > 16) child_fail(err_fd, Step::descriptors, EMFILE);
    for (std::size_t i = 0; i < spec.fds.size(); ++i) {
        moved[i] = ::fcntl(spec.fds[i].first, F_DUPFD_CLOEXEC, std::max(top + 1, err_fd + 1));
        if (moved[i] < 0) child_fail(err_fd, Step::descriptors, errno);
    }
    for (std::size_t i = 0; i < spec.fds.size(); ++i)
        if (::dup2(moved[i], spec.fds[i].second) < 0) child_fail(err_fd, Step::descriptors, errno);
    // Everything else closes at exec (the error pipe must live until then).
    if (::close_range(static_cast<unsigned>(top + 1), ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        child_fail(err_fd, Step::descriptors, errno);
    if (spec.credentials) {
        if (int err = drop_privileges(*spec.credentials)) child_fail(err_fd, Step::credentials, err);
    } else if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        child_fail(err_fd, Step::no_new_privs, errno);
    }
    char* const envp[] = {nullptr}; // nothing of zoned's environment
    ::execve(argv[0], argv, envp);
    child_fail(err_fd, Step::exec, errno);
}

} // namespace

Spawned spawn_process(const SpawnSpec& spec) {
    // Everything the child needs is built before fork.
    std::vector<std::string> strings{spec.executable};
    strings.insert(strings.end(), spec.args.begin(), spec.args.end());
    std::vector<char*> argv;
    for (std::string& s : strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    auto [err_r, err_w_low] = control::make_pipe();
    // Above every target number, so that arranging the child's descriptors
    // never overwrites the pipe that reports a failure.
    Fd err_w(::fcntl(err_w_low.get(), F_DUPFD_CLOEXEC, kHighFd));
    if (!err_w) throw errno_error("fcntl(F_DUPFD_CLOEXEC)");
    err_w_low.reset();
    for (const auto& [from, to] : spec.fds)
        if (to < 0 || to >= kHighFd) throw std::invalid_argument("spawn_process: child descriptor out of range");
    pid_t parent = ::getpid();

    pid_t pid = ::fork();
    if (pid < 0) throw errno_error("fork");
    if (pid == 0) child(spec, argv.data(), parent, err_w.get());
    err_w.reset();

    Spawned out;
    out.pid = pid;
    ChildError e{};
    ssize_t n;
    while ((n = ::read(err_r.get(), &e, sizeof e)) < 0 && errno == EINTR) {}
    if (n == static_cast<ssize_t>(sizeof e)) {
        int status;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        throw std::system_error(e.err, std::generic_category(),
                                spec.executable + ": " + step_name(e.step) + " failed in the child");
    }
    // pidfd_open(2) has no glibc wrapper in Debian 12. The child cannot be
    // reaped by anyone but us, so its pid is still its own here.
    out.pidfd = Fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    if (!out.pidfd) throw errno_error("pidfd_open");
    return out;
}

std::optional<int> reap(pid_t pid) {
    int status = 0;
    pid_t r;
    while ((r = ::waitpid(pid, &status, WNOHANG)) < 0 && errno == EINTR) {}
    if (r == 0) return std::nullopt;
    if (r < 0) return -1; // not ours any more: count it as gone
    return status;
}

} // namespace bh::zoned
