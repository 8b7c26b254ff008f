// SPDX-License-Identifier: GPL-2.0-only
// What zoned and zonectl agree a zone is: its lifecycle states, why it
// ended (the hypervisor's BH_EXIT_* reasons), the exit status a shell sees
// for that, and the rules for zone names (the hypervisor's own).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bh::control {

// creating -> running <-> paused -> exited | crashed | stopped; a destroyed
// zone has no record any more.
enum class ZoneState { creating, running, paused, exited, crashed, stopped };

std::string_view to_string(ZoneState state);
std::optional<ZoneState> zone_state_from(std::string_view text);
// Ended: the zone runs no more, whatever its console still holds.
bool has_ended(ZoneState state);

// BH_EXIT_* of hypervisor/include/bulkhead/abi/hypercall.h, plus zoned's
// own: `lost` for a zone the hypervisor no longer knows, `node-restarted`
// for one that was running or paused when the node went down.
enum class ExitReason : std::uint32_t {
    none = 0,
    call = 1,
    psci_off = 2,
    psci_reset = 3,
    fault = 4,
    stopped = 5,
    vcpus_off = 6,
    bad_state = 7,
    workload = 8,
    workload_signal = 9,
    watchdog = 10,
    node_restarted = 254,
    lost = 255,
};

std::string_view to_string(ExitReason reason);
std::optional<ExitReason> exit_reason_from(std::string_view text);

// Exit statuses of zones that give none, as scripts/run-zone reports them.
inline constexpr int kStatusNone = 69;     // EX_UNAVAILABLE: ended without a status
inline constexpr int kStatusCrashed = 70;  // EX_SOFTWARE: the hypervisor ended it
inline constexpr int kStatusStopped = 137; // stopped by a manager: as if SIGKILLed

// The status a shell would see: the workload's status, 128+N for signal N,
// a plain ZONE_EXIT code modulo 256, and the constants above otherwise.
int exit_status_for(ExitReason reason, std::uint64_t code);

// Zone names are the hypervisor's: 1-31 of a-z 0-9 - _. nullopt if `name`
// is one, otherwise what is wrong with it, for an error message.
std::optional<std::string> zone_name_problem(std::string_view name);
inline constexpr std::size_t kZoneNameMax = 31;
inline constexpr std::uint32_t kZoneVcpusMax = 8;

} // namespace bh::control
