// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/control/zone_types.hpp>

#include <array>
#include <utility>

namespace bh::control {

namespace {

constexpr std::array<std::pair<ZoneState, std::string_view>, 6> kStates{{
    {ZoneState::creating, "creating"},
    {ZoneState::running, "running"},
    {ZoneState::paused, "paused"},
    {ZoneState::exited, "exited"},
    {ZoneState::crashed, "crashed"},
    {ZoneState::stopped, "stopped"},
}};

constexpr std::array<std::pair<ExitReason, std::string_view>, 13> kReasons{{
    {ExitReason::none, "none"},
    {ExitReason::call, "call"},
    {ExitReason::psci_off, "psci-off"},
    {ExitReason::psci_reset, "psci-reset"},
    {ExitReason::fault, "fault"},
    {ExitReason::stopped, "stopped"},
    {ExitReason::vcpus_off, "vcpus-off"},
    {ExitReason::bad_state, "bad-state"},
    {ExitReason::workload, "workload"},
    {ExitReason::workload_signal, "workload-signal"},
    {ExitReason::watchdog, "watchdog"},
    {ExitReason::node_restarted, "node-restarted"},
    {ExitReason::lost, "lost"},
}};

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
    for (const auto& [v, name] : table)
        if (v == value) return name;
    return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text) {
    for (const auto& [v, name] : table)
        if (name == text) return v;
    return std::nullopt;
}

} // namespace

std::string_view to_string(ZoneState state) { return name_of(kStates, state); }
std::optional<ZoneState> zone_state_from(std::string_view text) { return value_of(kStates, text); }
std::string_view to_string(ExitReason reason) { return name_of(kReasons, reason); }
std::optional<ExitReason> exit_reason_from(std::string_view text) { return value_of(kReasons, text); }

bool has_ended(ZoneState state) {
    return state == ZoneState::exited || state == ZoneState::crashed || state == ZoneState::stopped;
}

int exit_status_for(ExitReason reason, std::uint64_t code) {
    switch (reason) {
    case ExitReason::workload: return code <= 255 ? static_cast<int>(code) : kStatusCrashed;
    case ExitReason::workload_signal: return code >= 1 && code <= 64 ? 128 + static_cast<int>(code) : kStatusCrashed;
    case ExitReason::call: return static_cast<int>(code & 0xff);
    case ExitReason::stopped: return kStatusStopped;
    case ExitReason::none:
    case ExitReason::psci_off:
    case ExitReason::vcpus_off: return kStatusNone;
    case ExitReason::psci_reset:
    case ExitReason::fault:
    case ExitReason::bad_state:
    case ExitReason::watchdog:
    case ExitReason::node_restarted:
    case ExitReason::lost: return kStatusCrashed;
    }
    return kStatusCrashed;
}

std::optional<std::string> zone_name_problem(std::string_view name) {
    if (name.empty()) return std::string("a zone name may not be empty");
    if (name.size() > kZoneNameMax)
        return "zone name '" + std::string(name) + "' is " + std::to_string(name.size()) +
               " characters long; at most " + std::to_string(kZoneNameMax) + " are allowed";
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok)
            return "zone name '" + std::string(name) + "' contains '" + std::string(1, c) +
                   "': use only a-z, 0-9, '-' and '_'";
    }
    return std::nullopt;
}

} // namespace bh::control
