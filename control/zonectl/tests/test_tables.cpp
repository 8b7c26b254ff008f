// SPDX-License-Identifier: GPL-2.0-only
// What `list`, `info` and `host info` show people.
#include <bulkhead/zonectl/tables.hpp>

#include <catch2/catch.hpp>

using namespace bh::zonectl;
using bh::control::ExitInfo;
using bh::control::ExitReason;
using bh::control::ZoneInfo;
using bh::control::ZoneState;

namespace {

ZoneInfo zone(const std::string& name, ZoneState state) {
    ZoneInfo z;
    z.name = name;
    z.state = state;
    z.vcpus = 2;
    z.memory = 256ULL << 20;
    z.command = {"sh", "-c", "echo hi; exit 3"};
    z.started_at = 1000;
    return z;
}

} // namespace

TEST_CASE("a state shows the exit status, and the reason unless the workload gave it") {
    ZoneInfo z = zone("a", ZoneState::running);
    CHECK(state_text(z) == "running");
    z.state = ZoneState::exited;
    z.exit = ExitInfo{ExitReason::workload, 3, 3};
    CHECK(state_text(z) == "exited (3)");
    z.state = ZoneState::crashed;
    z.exit = ExitInfo{ExitReason::fault, 0, 70};
    CHECK(state_text(z) == "crashed (70, fault)");
}

TEST_CASE("durations round down to the largest unit") {
    CHECK(duration_text(0) == "0s");
    CHECK(duration_text(59) == "59s");
    CHECK(duration_text(60) == "1m");
    CHECK(duration_text(7200) == "2h");
    CHECK(duration_text(3 * 86400 + 5) == "3d");
}

TEST_CASE("commands are quoted as a shell would need them") {
    CHECK(command_text({"sleep", "infinity"}) == "sleep infinity");
    CHECK(command_text({"sh", "-c", "echo hi; exit 3"}) == "sh -c 'echo hi; exit 3'");
    CHECK(command_text({"echo", "it's"}) == "echo 'it'\\''s'");
    CHECK(command_text({"printf", ""}) == "printf ''");
}

TEST_CASE("the zone table has a header, aligned columns and one line per zone") {
    CHECK(zone_table({}, 0) == "NAME  STATE  VCPUS  MEMORY  UPTIME  COMMAND\n");
    ZoneInfo a = zone("alpha", ZoneState::running);
    ZoneInfo b = zone("b", ZoneState::exited);
    b.exit = ExitInfo{ExitReason::workload, 3, 3};
    b.ended_at = 1090;
    std::string table = zone_table({a, b}, 1030);
    CHECK(table == "NAME   STATE       VCPUS  MEMORY  UPTIME  COMMAND\n"
                   "alpha  running     2      256M    30s     sh -c 'echo hi; exit 3'\n"
                   "b      exited (3)  2      256M    1m      sh -c 'echo hi; exit 3'\n");
}

TEST_CASE("zone details list every field, the exit only once there is one") {
    ZoneInfo z = zone("alpha", ZoneState::running);
    z.env = {"A=1"};
    std::string running = zone_details(z, 1000);
    CHECK(running.find("name:     alpha\n") != std::string::npos);
    CHECK(running.find("env:      A=1\n") != std::string::npos);
    CHECK(running.find("exit status") == std::string::npos);
    z.state = ZoneState::exited;
    z.exit = ExitInfo{ExitReason::workload_signal, 9, 137};
    std::string ended = zone_details(z, 1000);
    CHECK(ended.find("exit status:  137\n") != std::string::npos);
    CHECK(ended.find("exit reason:  workload-signal\n") != std::string::npos);
}

TEST_CASE("host details are for people") {
    bh::control::HostInfo h{4, 3ULL << 30, 4ULL << 30, 2, 1};
    CHECK(host_details(h) == "cpus:          4\n"
                             "free memory:   3 GiB\n"
                             "total memory:  4 GiB\n"
                             "zones:         2 (1 running)\n");
}
