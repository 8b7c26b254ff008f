// SPDX-License-Identifier: GPL-2.0-only
// Runs a host build of zone-init as an ordinary process (not PID 1: it takes
// the workload from its arguments, prints the record on standard output and
// exits with the workload's status) to test starting, reaping, exit records
// and signal forwarding.
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#ifndef ZONE_INIT_HOST_BINARY
#error "ZONE_INIT_HOST_BINARY must name the host build of zone-init"
#endif

namespace {

struct Result {
    int wait_status = 0;
    std::string out; // stdout and stderr together
};

// Runs zone-init -- args...; with signal_when_ready, sends it that signal
// once its output contains "ready\n".
Result run_init(const std::vector<std::string>& args, int signal_when_ready = 0) {
    int pipefd[2];
    REQUIRE(::pipe(pipefd) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(pipefd[1], 1);
        ::dup2(pipefd[1], 2);
        ::close(pipefd[0]);
        ::close(pipefd[1]);
        std::vector<char*> argv{const_cast<char*>(ZONE_INIT_HOST_BINARY), const_cast<char*>("--")};
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(99);
    }
    ::close(pipefd[1]);
    Result r;
    char buf[512];
    ssize_t n;
    while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) {
        r.out.append(buf, static_cast<size_t>(n));
        if (signal_when_ready && r.out.find("ready\n") != std::string::npos) {
            ::kill(pid, signal_when_ready);
            signal_when_ready = 0;
        }
    }
    ::close(pipefd[0]);
    REQUIRE(::waitpid(pid, &r.wait_status, 0) == pid);
    return r;
}

int exit_code(const Result& r) { return WIFEXITED(r.wait_status) ? WEXITSTATUS(r.wait_status) : -1; }

} // namespace

TEST_CASE("reports a normal exit status", "[zone-init][process]") {
    auto r = run_init({"/bin/sh", "-c", "echo hello; exit 3"});
    CHECK(r.out == "hello\nBULKHEAD-EXIT status=3\n");
    CHECK(exit_code(r) == 3);
    r = run_init({"true"}); // PATH search
    CHECK(r.out == "BULKHEAD-EXIT status=0\n");
}

TEST_CASE("reports death by a signal", "[zone-init][process]") {
    auto r = run_init({"/bin/sh", "-c", "kill -9 $$"});
    CHECK(r.out == "BULKHEAD-EXIT signal=9\n");
    CHECK(exit_code(r) == 128 + 9);
}

TEST_CASE("reports workloads that cannot start", "[zone-init][process]") {
    auto r = run_init({"/nonexistent/program"});
    CHECK(r.out == "zone-init: cannot run '/nonexistent/program': No such file or directory\n"
                   "BULKHEAD-EXIT status=127\n");
    CHECK(exit_code(r) == 127);
    r = run_init({"no-such-command-anywhere"});
    CHECK(r.out.find("BULKHEAD-EXIT status=127\n") != std::string::npos);
    r = run_init({"/"});
    CHECK(r.out == "zone-init: cannot run '/': Permission denied\nBULKHEAD-EXIT status=126\n");
}

TEST_CASE("does not wait for orphans of the workload", "[zone-init][process]") {
    // The background sleep outlives the shell; the record must come as soon
    // as the shell itself exits.
    auto r = run_init({"/bin/sh", "-c", "sleep 30 >/dev/null 2>&1 & exit 5"});
    CHECK(r.out == "BULKHEAD-EXIT status=5\n");
}

TEST_CASE("forwards SIGTERM to the workload", "[zone-init][process]") {
    auto r = run_init({"/bin/sh", "-c", "echo ready; exec sleep 30"}, SIGTERM);
    CHECK(r.out == "ready\nBULKHEAD-EXIT signal=15\n");
    CHECK(exit_code(r) == 128 + SIGTERM);
}
