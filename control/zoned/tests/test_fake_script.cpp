// SPDX-License-Identifier: GPL-2.0-only
// The fake hypervisor's workloads: the small shell the tests script zones in.
#include <bulkhead/zoned/fake_script.hpp>

#include <catch2/catch.hpp>

using namespace bh::zoned::fake;
using bh::control::ExitReason;
using Kind = Step::Kind;

namespace {

// Everything the script prints, up to its end (or a step that waits).
std::pair<std::string, Step> run(const std::vector<std::string>& argv, const std::vector<std::string>& env = {}) {
    Script script(argv, env);
    std::string out;
    for (;;) {
        Step step = script.next();
        if (step.kind != Kind::output) return {out, step};
        out += step.text;
    }
}

} // namespace

TEST_CASE("sh -c runs statements and ends with exit's status") {
    auto [out, end] = run({"sh", "-c", "echo hi; exit 3"});
    CHECK(out == "hi\n");
    REQUIRE(end.kind == Kind::end);
    CHECK(end.end.reason == ExitReason::workload);
    CHECK(end.end.code == 3);
}

TEST_CASE("a script without exit ends with its last statement's status") {
    CHECK(run({"/bin/sh", "-c", "true; false"}).second.end.code == 1);
    CHECK(run({"sh", "-c", "nosuch"}).first == "sh: nosuch: not found\n");
    CHECK(run({"sh", "-c", "nosuch"}).second.end.code == 127);
}

TEST_CASE("quoting and the environment expand as sh does") {
    auto [out, end] = run({"sh", "-c", R"(echo "a  b" 'c $X' $X ${X}y; echo -n z)"}, {"X=1"});
    CHECK(out == "a  b c $X 1 1y\nz");
    CHECK(run({"sh", "-c", "echo 'open"}).second.end.code == 2);
}

TEST_CASE("kill -N ends the workload with signal N") {
    auto end = run({"sh", "-c", "kill -9 $$"}).second;
    CHECK(end.end.reason == ExitReason::workload_signal);
    CHECK(end.end.code == 9);
    CHECK(run({"sh", "-c", "kill -TERM $$"}).second.end.code == 15);
    CHECK(signal_number("SIGKILL") == 9);
    CHECK_FALSE(signal_number("NOPE"));
}

TEST_CASE("sleep, cat and seq are steps of their own") {
    Script script({"sh", "-c", "sleep 0.5; cat; sleep infinity"}, {});
    Step s = script.next();
    CHECK((s.kind == Kind::sleep && s.seconds == 0.5));
    CHECK(script.next().kind == Kind::echo_input);
    s = script.next();
    CHECK((s.kind == Kind::sleep && !s.seconds));
    std::string numbers = run({"seq", "3", "5"}).first;
    CHECK(numbers == "3\n4\n5\n");
}

TEST_CASE("a command line that is not sh -c is one statement") {
    CHECK(run({"/usr/bin/echo", "a", "b"}).first == "a b\n");
    CHECK(run({"env"}, {"B=2", "A=1"}).first == "A=1\nB=2\n");
}

TEST_CASE("poweroff and fake-crash end the zone the way a kernel would") {
    CHECK(run({"poweroff"}).second.end.reason == ExitReason::psci_off);
    auto [out, end] = run({"fake-crash"});
    CHECK(out.find("Kernel panic") != std::string::npos);
    CHECK(end.end.reason == ExitReason::psci_reset);
}
