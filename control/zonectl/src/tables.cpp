// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zonectl/tables.hpp>

#include <bulkhead/control/size.hpp>

#include <algorithm>
#include <array>

namespace bh::zonectl {

using control::ZoneInfo;

namespace {

// Left-aligned columns two blanks apart; the last column is not padded.
std::string aligned(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width;
    for (const auto& row : rows) {
        width.resize(std::max(width.size(), row.size()));
        for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    }
    std::string out;
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            out += row[i];
            if (i + 1 < row.size()) out.append(width[i] - row[i].size() + 2, ' ');
        }
        out += '\n';
    }
    return out;
}

std::int64_t run_time(const ZoneInfo& z, std::int64_t now) {
    if (z.started_at == 0) return 0;
    std::int64_t end = z.ended_at != 0 ? z.ended_at : now;
    return std::max<std::int64_t>(0, end - z.started_at);
}

} // namespace

std::string state_text(const ZoneInfo& z) {
    std::string text(control::to_string(z.state));
    if (!z.exit) return text;
    text += " (" + std::to_string(z.exit->status);
    bool plain = z.exit->reason == control::ExitReason::workload || z.exit->reason == control::ExitReason::stopped;
    if (!plain) text += ", " + std::string(control::to_string(z.exit->reason));
    return text + ")";
}

std::string duration_text(std::int64_t s) {
    if (s < 60) return std::to_string(s) + "s";
    if (s < 3600) return std::to_string(s / 60) + "m";
    if (s < 86400) return std::to_string(s / 3600) + "h";
    return std::to_string(s / 86400) + "d";
}

// " (root, read-only)", " (read-only)", " (root)" or nothing.
std::string disk_notes(const control::DiskSpec& d) {
    if (d.root && d.read_only) return " (root, read-only)";
    if (d.root) return " (root)";
    return d.read_only ? " (read-only)" : "";
}

std::string command_text(const std::vector<std::string>& argv) {
    std::string out;
    for (const std::string& word : argv) {
        if (!out.empty()) out += ' ';
        bool plain = !word.empty() && word.find_first_of(" \t\n'\"\\$;&|<>*?()") == std::string::npos;
        if (plain) {
            out += word;
            continue;
        }
        out += '\'';
        for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        out += '\'';
    }
    return out;
}

std::string zone_table(const std::vector<ZoneInfo>& zones, std::int64_t now) {
    std::vector<std::vector<std::string>> rows{{"NAME", "STATE", "VCPUS", "MEMORY", "UPTIME", "COMMAND"}};
    for (const ZoneInfo& z : zones)
        rows.push_back({z.name, state_text(z), std::to_string(z.vcpus), control::format_size(z.memory),
                        z.started_at ? duration_text(run_time(z, now)) : "-", command_text(z.command)});
    return aligned(rows);
}

std::string zone_details(const ZoneInfo& z, std::int64_t now) {
    std::vector<std::vector<std::string>> rows{
        {"name:", z.name},
        {"state:", state_text(z)},
        {"handle:", std::to_string(z.handle)},
        {"vcpus:", std::to_string(z.vcpus)},
        {"memory:", control::format_size(z.memory)},
        {"kernel:", z.kernel},
        {"initrd:", z.initrd.empty() ? "-" : z.initrd},
        {"cmdline:", z.cmdline.empty() ? "-" : z.cmdline},
        {"command:", command_text(z.command)},
    };
    for (const std::string& kv : z.env) rows.push_back({"env:", kv});
    for (std::size_t i = 0; i < z.disks.size(); ++i) // the zone names them in this order
        rows.push_back(
            {"disk:", std::string("vd") + static_cast<char>('a' + i) + " " + z.disks[i].path + disk_notes(z.disks[i])});
    rows.push_back({"uptime:", z.started_at ? duration_text(run_time(z, now)) : "-"});
    if (z.exit) {
        rows.push_back({"exit status:", std::to_string(z.exit->status)});
        rows.push_back({"exit reason:", std::string(control::to_string(z.exit->reason))});
        rows.push_back({"exit code:", std::to_string(z.exit->code)});
    }
    std::string backend = z.backend.state;
    if (z.backend.pid) backend += ", pid " + std::to_string(z.backend.pid);
    backend += ", uid " + std::to_string(z.backend.uid);
    if (z.backend.restarts) backend += ", " + std::to_string(z.backend.restarts) + " restart(s)";
    rows.push_back({"backend:", backend});
    return aligned(rows);
}

std::string host_details(const control::HostInfo& h) {
    return aligned({{"cpus:", std::to_string(h.cpus)},
                    {"free memory:", control::human_size(h.free_memory)},
                    {"total memory:", control::human_size(h.total_memory)},
                    {"zones:", std::to_string(h.zones) + " (" + std::to_string(h.zones_running) + " running)"}});
}

} // namespace bh::zonectl
