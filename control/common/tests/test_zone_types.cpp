// SPDX-License-Identifier: GPL-2.0-only
// Zone states, exit reasons and the exit status a shell sees for each.
#include <catch2/catch.hpp>

#include <bulkhead/control/zone_types.hpp>

using namespace bh::control;

TEST_CASE("zone types: exit statuses as scripts/run-zone reports them", "[common][zone]") {
    CHECK(exit_status_for(ExitReason::workload, 0) == 0);
    CHECK(exit_status_for(ExitReason::workload, 3) == 3);
    CHECK(exit_status_for(ExitReason::workload, 255) == 255);
    CHECK(exit_status_for(ExitReason::workload_signal, 9) == 137);
    CHECK(exit_status_for(ExitReason::workload_signal, 15) == 143);
    CHECK(exit_status_for(ExitReason::call, 0x1234) == 0x34);
    CHECK(exit_status_for(ExitReason::psci_off, 0) == kStatusNone);
    CHECK(exit_status_for(ExitReason::vcpus_off, 0) == kStatusNone);
    CHECK(exit_status_for(ExitReason::psci_reset, 0) == kStatusCrashed);
    CHECK(exit_status_for(ExitReason::fault, 0x1000) == kStatusCrashed);
    CHECK(exit_status_for(ExitReason::watchdog, 500) == kStatusCrashed);
    CHECK(exit_status_for(ExitReason::lost, 0) == kStatusCrashed);
    CHECK(exit_status_for(ExitReason::stopped, 0) == kStatusStopped);
    // Values the hypervisor never records still map to something sane.
    CHECK(exit_status_for(ExitReason::workload, 256) == kStatusCrashed);
    CHECK(exit_status_for(ExitReason::workload_signal, 0) == kStatusCrashed);
}

TEST_CASE("zone types: names of states and reasons round-trip", "[common][zone]") {
    for (auto s : {ZoneState::creating, ZoneState::running, ZoneState::paused, ZoneState::exited, ZoneState::crashed,
                   ZoneState::stopped})
        CHECK(zone_state_from(to_string(s)) == s);
    for (std::uint32_t r = 0; r <= 10; ++r) {
        auto reason = static_cast<ExitReason>(r);
        CHECK(exit_reason_from(to_string(reason)) == reason);
    }
    CHECK(to_string(ExitReason::workload_signal) == "workload-signal");
    CHECK_FALSE(zone_state_from("destroyed").has_value());
    CHECK(has_ended(ZoneState::exited));
    CHECK_FALSE(has_ended(ZoneState::paused));
}

TEST_CASE("zone types: names follow the hypervisor's rule", "[common][zone]") {
    CHECK_FALSE(zone_name_problem("web-1_a").has_value());
    CHECK_FALSE(zone_name_problem(std::string(31, 'a')).has_value());
    CHECK(zone_name_problem("")->find("empty") != std::string::npos);
    CHECK(zone_name_problem(std::string(32, 'a'))->find("at most 31") != std::string::npos);
    CHECK(zone_name_problem("Web")->find("contains 'W'") != std::string::npos);
    CHECK(zone_name_problem("a/b").has_value());
    CHECK(zone_name_problem("a b").has_value());
    CHECK(zone_name_problem("..").has_value());
}
