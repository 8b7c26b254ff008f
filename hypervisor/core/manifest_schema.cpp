// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/log.hpp>
#include <bulkhead/manifest_schema.hpp>

extern "C" {
#include <libfdt.h>
}

namespace bh {
namespace {

// Properties every device tree may carry whatever the schema.
const char* const kAnyNode[] = {"phandle", "linux,phandle", nullptr};

const char* const kRootProps[] = {"compatible", "#address-cells", "#size-cells", "model", nullptr};
const char* const kRootChildren[] = {"zones", "chosen", "aliases", nullptr};
const char* const kNone[] = {nullptr};
const char* const kZoneProps[] = {"memory-size",   "memory-base",    "host-address", "vcpus",         "cpus",
                                  "privileged",    "fault-policy",   "entry",        "boot-argument", "watchdog-ms",
                                  "console-input", "control-domain", nullptr};
// A trailing '@': the node may also carry a unit address (image@1).
const char* const kZoneChildren[] = {"image@", "linux", nullptr};
const char* const kImageProps[] = {"load-address", "data", nullptr};
const char* const kLinuxProps[] = {"kernel", "initrd", "bootargs", nullptr};
const char* const kLinuxChildren[] = {"workload", nullptr};
const char* const kWorkloadProps[] = {"command", "args", "env", "cwd", "stdin", nullptr};

bool listed(const char* const* list, const char* name) {
    for (; *list; ++list) {
        usize n = __builtin_strlen(*list);
        bool unit_address = n && (*list)[n - 1] == '@';
        if (unit_address) --n;
        if (__builtin_strncmp(*list, name, n) == 0 && (name[n] == '\0' || (unit_address && name[n] == '@')))
            return true;
    }
    return false;
}

// The known name closest to `name`, if it is close enough to be a typo:
// at most a third of its letters off (and at least one edit allowed).
const char* closest(const char* const* list, const char* name) {
    const char* best = nullptr;
    u32 best_d = ~0u;
    static char bare[64]; // a listed "image@" is suggested as "image"
    for (; *list; ++list) {
        usize n = __builtin_strlen(*list);
        if (n >= sizeof bare) continue;
        __builtin_memcpy(bare, *list, n + 1);
        if (n && bare[n - 1] == '@') bare[n - 1] = '\0';
        u32 d = name_distance(bare, name);
        if (d < best_d) {
            best_d = d;
            best = *list;
        }
    }
    u32 len = static_cast<u32>(__builtin_strlen(name));
    u32 allowed = len / 3 > 0 ? len / 3 : 1;
    if (!best || best_d > allowed) return nullptr;
    usize n = __builtin_strlen(best);
    __builtin_memcpy(bare, best, n + 1);
    if (n && bare[n - 1] == '@') bare[n - 1] = '\0';
    return bare;
}

bool refuse(char* why, usize size, const char* kind, const char* name, const NodeSchema& s, const char* const* known) {
    const char* hint = closest(known, name);
    if (hint)
        format(why, size, "unknown %s '%s' in the %s (did you mean '%s'?)", kind, name, s.what, hint);
    else
        format(why, size, "unknown %s '%s' in the %s", kind, name, s.what);
    return false;
}

} // namespace

const NodeSchema kRootSchema{"root node", kRootProps, kRootChildren};
const NodeSchema kZonesSchema{"zones node", kNone, nullptr}; // every child is a zone
const NodeSchema kZoneSchema{"zone", kZoneProps, kZoneChildren};
const NodeSchema kImageSchema{"image node", kImageProps, kNone};
const NodeSchema kLinuxSchema{"linux node", kLinuxProps, kLinuxChildren};
const NodeSchema kWorkloadSchema{"workload node", kWorkloadProps, kNone};

u32 name_distance(const char* a, const char* b) {
    // Optimal string alignment distance, three rows at a time (this runs on
    // a hypervisor stack), over names of at most 63 characters.
    constexpr u32 kMax = 64;
    u32 la = static_cast<u32>(__builtin_strlen(a)), lb = static_cast<u32>(__builtin_strlen(b));
    if (la >= kMax || lb >= kMax) return ~0u;
    u32 rows[3][kMax];
    u32 *before = rows[0], *prev = rows[1], *cur = rows[2];
    for (u32 j = 0; j <= lb; ++j) prev[j] = j;
    for (u32 i = 1; i <= la; ++i) {
        cur[0] = i;
        for (u32 j = 1; j <= lb; ++j) {
            u32 cost = a[i - 1] == b[j - 1] ? 0 : 1;
            u32 v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v) v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && before[j - 2] + 1 < v)
                v = before[j - 2] + 1;
            cur[j] = v;
        }
        u32* t = before;
        before = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

bool manifest_node_known(const void* fdt, int node, const NodeSchema& s, char* why, usize size) {
    int prop;
    fdt_for_each_property_offset(prop, fdt, node) {
        const char* name = nullptr;
        if (!fdt_getprop_by_offset(fdt, prop, &name, nullptr) || !name) continue;
        if (!listed(s.properties, name) && !listed(kAnyNode, name))
            return refuse(why, size, "property", name, s, s.properties);
    }
    if (!s.children) return true;
    int child;
    fdt_for_each_subnode(child, fdt, node) {
        const char* name = fdt_get_name(fdt, child, nullptr);
        if (name && !listed(s.children, name)) return refuse(why, size, "node", name, s, s.children);
    }
    return true;
}

} // namespace bh
