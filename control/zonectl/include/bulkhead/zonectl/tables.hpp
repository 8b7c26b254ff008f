// SPDX-License-Identifier: GPL-2.0-only
// What `list`, `info` and `host info` print with -o table: columns for
// people, aligned, one zone a line; -o json prints the protocol's objects
// as they are (docs/zonectl.md).
#pragma once

#include <bulkhead/control/protocol.hpp>

#include <string>
#include <vector>

namespace bh::zonectl {

// NAME STATE STATUS VCPUS MEMORY UPTIME COMMAND, with a header line; just
// the header when there are no zones.
std::string zone_table(const std::vector<control::ZoneInfo>& zones, std::int64_t now);
// One "key: value" line per field.
std::string zone_details(const control::ZoneInfo& zone, std::int64_t now);
std::string host_details(const control::HostInfo& host);

// "exited (3)", "crashed (70, fault)", "running"...
std::string state_text(const control::ZoneInfo& zone);
// 59s, 12m, 3h, 2d: how long the zone has run (until it ended).
std::string duration_text(std::int64_t seconds);
// The workload as a shell would show it: words with blanks quoted.
std::string command_text(const std::vector<std::string>& argv);

} // namespace bh::zonectl
