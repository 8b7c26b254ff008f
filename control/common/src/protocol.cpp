// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/control/base64.hpp>
#include <bulkhead/control/protocol.hpp>

#include <array>
#include <utility>

namespace bh::control {

namespace {

constexpr std::array<std::pair<ErrorCode, std::string_view>, 8> kCodes{{
    {ErrorCode::bad_request, "bad_request"},
    {ErrorCode::not_found, "not_found"},
    {ErrorCode::exists, "exists"},
    {ErrorCode::invalid_argument, "invalid_argument"},
    {ErrorCode::no_memory, "no_memory"},
    {ErrorCode::bad_state, "bad_state"},
    {ErrorCode::unavailable, "unavailable"},
    {ErrorCode::internal, "internal"},
}};

std::vector<std::string> string_list(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_array()) throw ProtocolError(std::string("field '") + name + "' must be a list of strings");
    std::vector<std::string> out;
    for (const json& s : v) {
        if (!s.is_string()) throw ProtocolError(std::string("field '") + name + "' must be a list of strings");
        out.push_back(s.get<std::string>());
    }
    return out;
}

std::optional<std::string> optional_string(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) throw ProtocolError(std::string("field '") + name + "' must be a string");
    return it->get<std::string>();
}

// "disks": absent (from a zonectl or zoned that predates disks) is none.
std::vector<DiskSpec> disk_list(const json& j) {
    auto it = j.find("disks");
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_array()) throw ProtocolError("field 'disks' must be a list");
    std::vector<DiskSpec> out;
    for (const json& d : *it) {
        if (!d.is_object()) throw ProtocolError("field 'disks' must be a list of {path, read_only}");
        const json& ro = field(d, "read_only");
        if (!ro.is_boolean()) throw ProtocolError("field 'read_only' must be true or false");
        out.push_back(DiskSpec{string_field(d, "path"), ro.get<bool>(), bool_field(d, "root", false)});
    }
    return out;
}

} // namespace

std::string_view to_string(ErrorCode code) {
    for (const auto& [c, name] : kCodes)
        if (c == code) return name;
    return "internal";
}

ErrorCode error_code_from(std::string_view text) {
    for (const auto& [c, name] : kCodes)
        if (name == text) return c;
    return ErrorCode::internal;
}

const json& field(const json& j, const char* name) {
    if (!j.is_object()) throw ProtocolError("a message must be a JSON object");
    auto it = j.find(name);
    if (it == j.end()) throw ProtocolError(std::string("field '") + name + "' is missing");
    return *it;
}

std::string string_field(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_string()) throw ProtocolError(std::string("field '") + name + "' must be a string");
    return v.get<std::string>();
}

std::uint64_t uint_field(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
        throw ProtocolError(std::string("field '") + name + "' must be a non-negative integer");
    return v.get<std::uint64_t>();
}

bool bool_field(const json& j, const char* name, bool fallback) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) throw ProtocolError(std::string("field '") + name + "' must be true or false");
    return it->get<bool>();
}

void to_json(json& j, const DiskSpec& d) { j = json{{"path", d.path}, {"read_only", d.read_only}, {"root", d.root}}; }

void to_json(json& j, const ExitInfo& e) {
    j = json{{"reason", to_string(e.reason)}, {"code", e.code}, {"status", e.status}};
}

void to_json(json& j, const BackendInfo& b) {
    j = json{{"pid", b.pid}, {"uid", b.uid}, {"restarts", b.restarts}, {"state", b.state}};
}

void to_json(json& j, const ZoneInfo& z) {
    j = json{{"name", z.name},         {"handle", z.handle},         {"state", to_string(z.state)},
             {"vcpus", z.vcpus},       {"memory", z.memory},         {"kernel", z.kernel},
             {"initrd", z.initrd},     {"cmdline", z.cmdline},       {"command", z.command},
             {"env", z.env},           {"created_at", z.created_at}, {"started_at", z.started_at},
             {"ended_at", z.ended_at}, {"exit_status", nullptr},     {"exit_reason", nullptr},
             {"exit_code", nullptr},   {"backend", z.backend},       {"disks", z.disks}};
    if (z.exit) {
        j["exit_status"] = z.exit->status;
        j["exit_reason"] = to_string(z.exit->reason);
        j["exit_code"] = z.exit->code;
    }
}

void to_json(json& j, const HostInfo& h) {
    j = json{{"cpus", h.cpus},
             {"free_memory", h.free_memory},
             {"total_memory", h.total_memory},
             {"zones", h.zones},
             {"zones_running", h.zones_running}};
}

void to_json(json& j, const LaunchRequest& r) {
    j = json{{"name", r.name},    {"vcpus", r.vcpus},   {"memory", r.memory}, {"kernel", nullptr},
             {"initrd", nullptr}, {"cmdline", nullptr}, {"env", r.env},       {"command", r.command}};
    if (r.kernel) j["kernel"] = *r.kernel;
    if (r.initrd) j["initrd"] = *r.initrd;
    if (r.cmdline) j["cmdline"] = *r.cmdline;
    if (!r.disks.empty()) j["disks"] = r.disks;
}

ZoneInfo zone_info_from(const json& j) {
    ZoneInfo z;
    z.name = string_field(j, "name");
    z.handle = uint_field(j, "handle");
    auto state = zone_state_from(string_field(j, "state"));
    if (!state) throw ProtocolError("field 'state' is not a zone state");
    z.state = *state;
    z.vcpus = static_cast<std::uint32_t>(uint_field(j, "vcpus"));
    z.memory = uint_field(j, "memory");
    z.kernel = string_field(j, "kernel");
    z.initrd = string_field(j, "initrd");
    z.cmdline = string_field(j, "cmdline");
    z.command = string_list(j, "command");
    z.env = string_list(j, "env");
    z.created_at = field(j, "created_at").get<std::int64_t>();
    z.started_at = field(j, "started_at").get<std::int64_t>();
    z.ended_at = field(j, "ended_at").get<std::int64_t>();
    if (!field(j, "exit_status").is_null()) {
        auto reason = exit_reason_from(string_field(j, "exit_reason"));
        if (!reason) throw ProtocolError("field 'exit_reason' is not an exit reason");
        z.exit = ExitInfo{*reason, uint_field(j, "exit_code"), field(j, "exit_status").get<int>()};
    }
    const json& b = field(j, "backend");
    z.backend.pid = field(b, "pid").get<int>();
    z.backend.uid = static_cast<std::uint32_t>(uint_field(b, "uid"));
    z.backend.restarts = static_cast<std::uint32_t>(uint_field(b, "restarts"));
    z.backend.state = string_field(b, "state");
    z.disks = disk_list(j);
    return z;
}

HostInfo host_info_from(const json& j) {
    HostInfo h;
    h.cpus = static_cast<std::uint32_t>(uint_field(j, "cpus"));
    h.free_memory = uint_field(j, "free_memory");
    h.total_memory = uint_field(j, "total_memory");
    h.zones = static_cast<std::uint32_t>(uint_field(j, "zones"));
    h.zones_running = static_cast<std::uint32_t>(uint_field(j, "zones_running"));
    return h;
}

LaunchRequest launch_request_from(const json& j) {
    LaunchRequest r;
    r.name = string_field(j, "name");
    std::uint64_t vcpus = uint_field(j, "vcpus");
    r.vcpus = vcpus > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(vcpus);
    r.memory = uint_field(j, "memory");
    r.kernel = optional_string(j, "kernel");
    r.initrd = optional_string(j, "initrd");
    r.cmdline = optional_string(j, "cmdline");
    r.env = string_list(j, "env");
    r.command = string_list(j, "command");
    r.disks = disk_list(j);
    return r;
}

json make_request(std::string_view op) { return json{{"v", kProtocolVersion}, {"op", op}}; }

json ok_reply(json body) {
    if (!body.is_object()) body = json::object();
    body["ok"] = true;
    return body;
}

json error_reply(ErrorCode code, const std::string& message) {
    return json{{"ok", false}, {"error", {{"code", to_string(code)}, {"message", message}}}};
}

const json& check_reply(const json& reply) {
    const json& ok = field(reply, "ok");
    if (!ok.is_boolean()) throw ProtocolError("field 'ok' must be true or false");
    if (ok.get<bool>()) return reply;
    const json& err = field(reply, "error");
    throw RequestError(error_code_from(string_field(err, "code")), string_field(err, "message"));
}

json stream_output(std::string_view bytes) { return json{{"stream", "output"}, {"data", base64_encode(bytes)}}; }

json stream_end(const std::optional<ZoneInfo>& zone) {
    json j{{"stream", "end"}, {"zone", nullptr}};
    if (zone) j["zone"] = *zone;
    return j;
}

json stream_input(std::string_view bytes) { return json{{"stream", "input"}, {"data", base64_encode(bytes)}}; }
json stream_detach() { return json{{"stream", "detach"}}; }

std::string frame(const json& message) {
    std::string out = message.dump(-1, ' ', false, json::error_handler_t::replace);
    out += '\n';
    return out;
}

} // namespace bh::control
