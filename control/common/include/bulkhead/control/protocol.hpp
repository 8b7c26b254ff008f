// SPDX-License-Identifier: GPL-2.0-only
// The zonectl <-> zoned protocol: one JSON object per line over a Unix
// stream socket (docs/zonectl.md and control/README.md have the schema).
//
//   request   {"v": 1, "op": "launch" | "list" | "info" | ..., ...fields}
//   reply     {"ok": true, ...} | {"ok": false, "error": {"code", "message"}}
//   streams   after the reply to "logs" or "console", zoned sends
//             {"stream": "output", "data": base64} ... {"stream": "end", "zone": {...} | null}
//             and a console client sends {"stream": "input", "data": base64}
//             or {"stream": "detach"}.
#pragma once

#include <bulkhead/control/zone_types.hpp>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace bh::control {

using json = nlohmann::json;

inline constexpr int kProtocolVersion = 1;
inline constexpr std::size_t kMaxMessageBytes = 1 << 20;
// Console bytes per output message (base64 makes them 4/3 as many).
inline constexpr std::size_t kStreamChunk = 48 * 1024;

enum class ErrorCode { bad_request, not_found, exists, invalid_argument, no_memory, bad_state, unavailable, internal };
std::string_view to_string(ErrorCode code);
ErrorCode error_code_from(std::string_view text); // unknown codes read as internal

// A message that is not what the protocol says (bad JSON, a missing field).
class ProtocolError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A request zoned refused; what() is for people: it names the zone and
// says what to do.
class RequestError : public std::runtime_error {
  public:
    RequestError(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ErrorCode code() const { return code_; }

  private:
    ErrorCode code_;
};

struct ExitInfo {
    ExitReason reason = ExitReason::none;
    std::uint64_t code = 0; // the hypervisor's exit code (BH_HC_ZONE_STATUS x3)
    int status = 0;         // exit_status_for(reason, code)
};

struct BackendInfo {
    int pid = 0; // 0: none running
    std::uint32_t uid = 0;
    std::uint32_t restarts = 0;
    std::string state; // running | restarting | done | failed | none
};

// A disk attached to a zone (`zonectl launch --disk FILE[:ro]`): served to
// it as a virtio-blk device, the first in the slot after the console.
// `zonectl launch --root FILE[:ro]` gives the zone's root filesystem: the
// first disk (/dev/vda), which the zone's init mounts as "/".
struct DiskSpec {
    std::string path; // absolute, as zonectl resolved it
    bool read_only = false;
    bool root = false; // only ever the first disk
    bool operator==(const DiskSpec&) const = default;
};
inline constexpr std::size_t kMaxDisks = 8;

struct ZoneInfo {
    std::string name;
    std::uint64_t handle = 0;
    ZoneState state = ZoneState::creating;
    std::uint32_t vcpus = 0;
    std::uint64_t memory = 0;
    std::string kernel, initrd, cmdline;
    std::vector<std::string> command, env;
    std::int64_t created_at = 0, started_at = 0, ended_at = 0; // Unix seconds; 0: not yet
    std::optional<ExitInfo> exit;                              // set once the zone has ended
    BackendInfo backend;
    std::vector<DiskSpec> disks; // /dev/vda, /dev/vdb, ... in the zone
};

struct HostInfo {
    std::uint32_t cpus = 0;
    std::uint64_t free_memory = 0, total_memory = 0;
    std::uint32_t zones = 0, zones_running = 0;
};

inline constexpr std::uint64_t kDefaultMemory = 256ULL << 20;

struct LaunchRequest {
    std::string name;
    std::uint32_t vcpus = 1;
    std::uint64_t memory = kDefaultMemory;
    // Paths as the user gave them; the open files travel with the request
    // (SCM_RIGHTS), kernel first. Unset: zoned's shipped zone kernel/initrd.
    std::optional<std::string> kernel, initrd;
    std::optional<std::string> cmdline;
    std::vector<std::string> env;     // KEY=VALUE
    std::vector<std::string> command; // the workload: argv
    // Their open files follow the kernel's and initrd's, in this order
    // (read-write unless read_only).
    std::vector<DiskSpec> disks;
};

void to_json(json& j, const ExitInfo& e);
void to_json(json& j, const BackendInfo& b);
void to_json(json& j, const ZoneInfo& z);
void to_json(json& j, const HostInfo& h);
void to_json(json& j, const LaunchRequest& r);
// These throw ProtocolError naming the field that is missing or wrong.
ZoneInfo zone_info_from(const json& j);
HostInfo host_info_from(const json& j);
LaunchRequest launch_request_from(const json& j);

// Field access with errors that name the field.
const json& field(const json& j, const char* name);
std::string string_field(const json& j, const char* name);
std::uint64_t uint_field(const json& j, const char* name);
bool bool_field(const json& j, const char* name, bool fallback);

json make_request(std::string_view op);
json ok_reply(json body = json::object());
json error_reply(ErrorCode code, const std::string& message);
// Throws RequestError for an error reply, ProtocolError for a malformed one.
const json& check_reply(const json& reply);

json stream_output(std::string_view bytes);
json stream_end(const std::optional<ZoneInfo>& zone);
json stream_input(std::string_view bytes);
json stream_detach();

// One message as it goes on the wire: compact JSON and a newline (strings
// that are not UTF-8, such as odd file names, are replaced, not fatal).
std::string frame(const json& message);

} // namespace bh::control
