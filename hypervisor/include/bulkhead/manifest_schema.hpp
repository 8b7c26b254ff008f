// SPDX-License-Identifier: GPL-2.0-only
// Which properties and child nodes each node of a zone manifest may have.
// Anything else is refused, with the closest known name as a suggestion:
// a misspelt optional property (`privilged`, `watchdog-msec`) must not
// silently cost a zone its privilege or its watchdog.
#pragma once

#include <bulkhead/types.hpp>

namespace bh {

struct NodeSchema {
    const char* what;              // "zone", "image node", ... for messages
    const char* const* properties; // null-terminated lists
    const char* const* children;   // a child "image" also matches "image@N"
};

extern const NodeSchema kRootSchema, kZonesSchema, kZoneSchema, kImageSchema, kLinuxSchema, kWorkloadSchema;

// True if every property and child node of `node` is in `schema`.
// Otherwise `why` (of `why_size` bytes) names the first unknown one and, if
// a known name is close to it, suggests that.
bool manifest_node_known(const void* fdt, int node, const NodeSchema& schema, char* why, usize why_size);

// Edits (insert, delete, substitute, swap two neighbours) between a and b.
u32 name_distance(const char* a, const char* b);

} // namespace bh
