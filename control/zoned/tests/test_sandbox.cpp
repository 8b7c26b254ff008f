// SPDX-License-Identifier: GPL-2.0-only
// The backend's seccomp filter, in a forked child: what a backend needs
// works; anything else (a socket, a path from the root, exec) kills it.
#include <bulkhead/zoned/sandbox.hpp>

#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <functional>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace bh::zoned;

namespace {

// The wait status of a child that installs the filter and runs `body`,
// which returns its exit status.
int sandboxed(const std::filesystem::path& dir, const std::function<int(int)>& body) {
    pid_t pid = ::fork();
    if (pid == 0) {
        int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
        try {
            install_backend_seccomp(dir_fd, dir_fd);
        } catch (...) {
            ::_exit(99);
        }
        ::_exit(body(dir_fd));
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

bool killed_by_sigsys(int status) { return WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS; }

} // namespace

TEST_CASE("the filter allows files relative to the log directory") {
    TempDir dir;
    int status = sandboxed(dir.path, [](int d) {
        int fd = ::openat(d, "console.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (fd < 0 || ::write(fd, "x", 1) != 1) return 1;
        if (::renameat(d, "console.log", d, "console.log.1") < 0) return 2;
        return ::unlinkat(d, "console.log.1", 0) < 0 ? 3 : 0;
    });
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("the filter kills a backend that opens a path of its own") {
    TempDir dir;
    CHECK(killed_by_sigsys(sandboxed(dir.path, [](int) { return ::open("/etc/passwd", O_RDONLY) >= 0 ? 0 : 1; })));
}

TEST_CASE("the filter kills a backend that makes a socket or executes") {
    TempDir dir;
    CHECK(killed_by_sigsys(sandboxed(dir.path, [](int) { return ::socket(AF_UNIX, SOCK_STREAM, 0) >= 0 ? 0 : 1; })));
    CHECK(killed_by_sigsys(sandboxed(dir.path, [](int) {
        char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
        ::execv(argv[0], argv);
        return 1;
    })));
}

TEST_CASE("the filter kills a backend that signals another process") {
    TempDir dir;
    pid_t parent = ::getpid();
    CHECK(killed_by_sigsys(sandboxed(dir.path, [parent](int) { return ::kill(parent, 0) == 0 ? 0 : 1; })));
}

TEST_CASE("what the filter allows is documented") {
    auto allowed = backend_allowed_syscalls();
    CHECK(std::find(allowed.begin(), allowed.end(), "openat") != allowed.end());
    CHECK(std::find(allowed.begin(), allowed.end(), "socket") == allowed.end());
    CHECK(std::find(allowed.begin(), allowed.end(), "execve") == allowed.end());
}
