// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/hypercall_decode.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/manifest.hpp>
#include <bulkhead/manifest_schema.hpp>

extern "C" {
#include <libfdt.h>
}

namespace bh {

bool LinuxBoot::stdin_stream() const {
    return stdin_mode.size == 7 && __builtin_memcmp(stdin_mode.data, "stream", 7) == 0;
}

namespace {

constexpr u64 kWatchdogMaxMs = 7ull * 24 * 3600 * 1000;

class Parser {
  public:
    Parser(const void* blob, u32 online_cpus, const ZonePlatform& platform, ManifestError& err)
        : fdt_(blob), cpus_(online_cpus), platform_(platform), err_(err) {}

    bool fail(const char* zone, const char* what) {
        if (zone)
            format(err_.message, sizeof err_.message, "manifest: zone '%s': %s", zone, what);
        else
            format(err_.message, sizeof err_.message, "manifest: %s", what);
        return false;
    }

    bool read_u64(int node, const char* prop, u64& v, bool& present) {
        int len;
        const void* p = fdt_getprop(fdt_, node, prop, &len);
        present = p != nullptr;
        if (!p) return true;
        if (len == 8)
            v = fdt64_ld(static_cast<const fdt64_t*>(p));
        else if (len == 4)
            v = fdt32_ld(static_cast<const fdt32_t*>(p));
        else
            return false;
        return true;
    }

    bool u64_prop(const char* zone, int node, const char* prop, u64& v, bool required, bool& present) {
        char msg[96];
        if (!read_u64(node, prop, v, present)) {
            format(msg, sizeof msg, "property '%s' must be one or two cells", prop);
            return fail(zone, msg);
        }
        if (required && !present) {
            format(msg, sizeof msg, "required property '%s' is missing", prop);
            return fail(zone, msg);
        }
        return true;
    }

    // A string property: must be NUL-terminated within its length.
    bool string_prop(const char* zone, int node, const char* prop, Blob& out) {
        int len;
        const char* p = static_cast<const char*>(fdt_getprop(fdt_, node, prop, &len));
        if (!p) return true;
        if (len < 1 || p[len - 1] != '\0') {
            char msg[96];
            format(msg, sizeof msg, "property '%s' must be a string", prop);
            return fail(zone, msg);
        }
        out = {reinterpret_cast<const u8*>(p), static_cast<u64>(len)};
        return true;
    }

    u32 count_children(int node) const {
        u32 n = 0;
        int child;
        fdt_for_each_subnode(child, fdt_, node)++ n;
        return n;
    }

    u32 count_images(int zone) const {
        u32 n = 0;
        int child;
        fdt_for_each_subnode(child, fdt_, zone) {
            const char* cname = fdt_get_name(fdt_, child, nullptr);
            if (cname && __builtin_strcmp(cname, "linux") != 0) ++n;
        }
        return n;
    }

    static bool is_string(const Blob& b, const char* s) {
        usize n = __builtin_strlen(s);
        return b.size == n + 1 && __builtin_memcmp(b.data, s, n + 1) == 0;
    }

    bool bytes_prop(int node, const char* prop, Blob& out) {
        int len;
        const void* p = fdt_getprop(fdt_, node, prop, &len);
        if (p && len > 0) out = {static_cast<const u8*>(p), static_cast<u64>(len)};
        return true;
    }

    // Every property and child node of `node` is one `schema` knows.
    bool known(const char* zn, int node, const NodeSchema& schema) {
        char why[160];
        return manifest_node_known(fdt_, node, schema, why, sizeof why) || fail(zn, why);
    }

    bool linux_node(const char* zn, int node, ManifestZone& z) {
        if (z.has_linux) return fail(zn, "two linux nodes; a zone boots one kernel");
        if (!known(zn, node, kLinuxSchema)) return false;
        z.has_linux = true;
        LinuxBoot& l = z.linux_boot;
        bytes_prop(node, "kernel", l.kernel);
        if (!l.kernel.present()) return fail(zn, "the linux node has no 'kernel'");
        bytes_prop(node, "initrd", l.initrd);
        if (!string_prop(zn, node, "bootargs", l.bootargs)) return false;
        int w = fdt_subnode_offset(fdt_, node, "workload");
        if (w >= 0) {
            if (!known(zn, w, kWorkloadSchema)) return false;
            if (!string_prop(zn, w, "command", l.command) || !string_prop(zn, w, "args", l.args) ||
                !string_prop(zn, w, "env", l.env) || !string_prop(zn, w, "cwd", l.cwd) ||
                !string_prop(zn, w, "stdin", l.stdin_mode))
                return false;
            if (!l.command.present()) return fail(zn, "the workload node has no 'command'");
            if (l.stdin_mode.present() && !l.stdin_stream() && !is_string(l.stdin_mode, "console"))
                return fail(zn, "the workload's stdin must be \"console\" or \"stream\"");
        }
        using ull = unsigned long long;
        char msg[192];
        if (l.kernel.size + l.initrd.size + (4u << 20) > z.memory_size) {
            format(msg, sizeof msg,
                   "the kernel (%llu KiB) and initrd (%llu KiB) need %llu KiB with the 4 MiB a kernel needs to "
                   "start; memory-size is %llu KiB",
                   static_cast<ull>(l.kernel.size >> 10), static_cast<ull>(l.initrd.size >> 10),
                   static_cast<ull>((l.kernel.size + l.initrd.size + (4u << 20) + 1023) >> 10),
                   static_cast<ull>(z.memory_size >> 10));
            return fail(zn, msg);
        }
        // The architecture's boot protocol, here rather than when the zone
        // is built: a kernel it cannot boot refuses the whole manifest.
        if (!platform_.linux_allowed) {
            format(msg, sizeof msg, "%s zones cannot boot Linux yet", platform_.name);
            return fail(zn, msg);
        }
        if (!platform_.linux_allowed(l, {z.memory_base, z.memory_size}, msg, sizeof msg)) return fail(zn, msg);
        return true;
    }

    bool zone(int node, ManifestZone& z) {
        int name_len;
        const char* name = fdt_get_name(fdt_, node, &name_len);
        if (!name || name_len == 0) return fail(nullptr, "a zone node has no name");
        if (name_len > BH_ZONE_NAME_MAX) {
            char msg[64];
            format(msg, sizeof msg, "the name has %d characters; at most %d", name_len, BH_ZONE_NAME_MAX);
            return fail(name, msg);
        }
        if (validate_zone_name(name, static_cast<u64>(name_len)) != Status::ok)
            return fail(name, "the name may hold only a-z, 0-9, '-' and '_'");
        for (int i = 0; i < name_len; ++i) z.name[i] = name[i];
        z.name[name_len] = '\0';
        const char* zn = z.name;
        if (!known(zn, node, kZoneSchema)) return false;

        bool present;
        u64 v = 0;
        if (!u64_prop(zn, node, "memory-size", v, true, present)) return false;
        if (v == 0) return fail(zn, "memory-size is zero");
        if (!is_aligned(v, kPageSize)) {
            char msg[96];
            format(msg, sizeof msg, "memory-size %#llx is not a multiple of 4 KiB", static_cast<unsigned long long>(v));
            return fail(zn, msg);
        }
        z.memory_size = v;

        int len;
        z.control_domain = fdt_getprop(fdt_, node, "control-domain", &len) != nullptr;
        v = platform_.default_ram_base.raw();
        if (!u64_prop(zn, node, "memory-base", v, false, present)) return false;
        bool base_given = present;
        u64 host = 0;
        if (!u64_prop(zn, node, "host-address", host, false, present)) return false;
        if (present) {
            if (!is_aligned(host, kPageSize)) {
                char msg[96];
                format(msg, sizeof msg, "host-address %#llx is not 4 KiB aligned",
                       static_cast<unsigned long long>(host));
                return fail(zn, msg);
            }
            z.pinned = true;
            z.host_address = HostPhys(host);
        }
        if (z.control_domain) {
            // Its devices DMA to the addresses its kernel gives them, so its
            // RAM sits where it is in the host: at host-address if pinned,
            // else where the frame allocator finds a run at boot (the rules
            // that depend on the base are checked then, ZoneTable::reserve).
            if (base_given)
                return fail(zn, "a control domain's RAM is at its host-physical address: drop memory-base "
                                "(host-address pins it)");
            if (z.pinned && !is_aligned(host, platform_.ram_base_alignment)) {
                char msg[128];
                format(msg, sizeof msg,
                       "a control domain's host-address is its guest-physical base: it must be a "
                       "multiple of %llu MiB",
                       static_cast<unsigned long long>(platform_.ram_base_alignment >> 20));
                return fail(zn, msg);
            }
            if (z.pinned) v = host;
            if (!z.pinned && fdt_subnode_offset(fdt_, node, "linux") < 0)
                return fail(zn, "a control domain without host-address must boot Linux (a linux node): "
                                "image load addresses need a RAM base known before boot");
        }
        z.memory_base = GuestPhys(v);
        Range<GuestPhys> ram{z.memory_base, z.memory_size};
        // Every rule of the architecture's zone platform, here rather than
        // when the zone is built: a manifest starts whole or not at all.
        char why[160];
        if (!platform_.ram_allowed(ram, why, sizeof why)) return fail(zn, why);
        // What the zone's images may use: all of RAM but the start-up area.
        Range<GuestPhys> image_room{ram.base, ram.size - platform_.boot_area_bytes};

        if (!u64_prop(zn, node, "vcpus", v, true, present)) return false;
        if (v == 0) return fail(zn, "vcpus is zero");
        if (v > BH_ZONE_VCPUS_MAX) {
            char msg[64];
            format(msg, sizeof msg, "vcpus is %llu; at most %d", static_cast<unsigned long long>(v), BH_ZONE_VCPUS_MAX);
            return fail(zn, msg);
        }
        z.vcpus = static_cast<u32>(v);

        const fdt32_t* cpus = static_cast<const fdt32_t*>(fdt_getprop(fdt_, node, "cpus", &len));
        for (u32 i = 0; i < z.vcpus; ++i) z.cpus[i] = i % cpus_;
        if (cpus) {
            if (len != static_cast<int>(z.vcpus * 4)) {
                char msg[96];
                format(msg, sizeof msg, "cpus lists %d CPU(s) for %u vCPU(s): give one physical CPU per vCPU", len / 4,
                       z.vcpus);
                return fail(zn, msg);
            }
            for (u32 i = 0; i < z.vcpus; ++i) {
                z.cpus[i] = fdt32_ld(&cpus[i]);
                if (z.cpus[i] >= cpus_) {
                    char msg[96];
                    format(msg, sizeof msg, "cpus names physical CPU %u, but only %u are online", z.cpus[i], cpus_);
                    return fail(zn, msg);
                }
            }
        }

        z.privileged = z.control_domain || fdt_getprop(fdt_, node, "privileged", &len) != nullptr;
        z.console_input = fdt_getprop(fdt_, node, "console-input", &len) != nullptr;
        v = 0;
        if (!u64_prop(zn, node, "watchdog-ms", v, false, present)) return false;
        if (present && (v == 0 || v > kWatchdogMaxMs)) {
            char msg[96];
            format(msg, sizeof msg, "watchdog-ms is %llu; it must be 1 to %llu (7 days)",
                   static_cast<unsigned long long>(v), static_cast<unsigned long long>(kWatchdogMaxMs));
            return fail(zn, msg);
        }
        z.watchdog_ms = v;
        const char* policy = static_cast<const char*>(fdt_getprop(fdt_, node, "fault-policy", &len));
        if (policy) {
            if (len == 6 && __builtin_memcmp(policy, "abort", 6) == 0)
                z.fault_policy = FaultPolicy::abort;
            else if (len == 5 && __builtin_memcmp(policy, "stop", 5) == 0)
                z.fault_policy = FaultPolicy::stop;
            else
                return fail(zn, "fault-policy must be \"abort\" or \"stop\"");
        }

        int child;
        fdt_for_each_subnode(child, fdt_, node) {
            const char* cname = fdt_get_name(fdt_, child, nullptr);
            if (cname && __builtin_strcmp(cname, "linux") == 0) {
                if (!linux_node(zn, child, z)) return false;
                continue;
            }
            // (known() has refused any other node already.)
            if (z.image_count == ManifestZone::kMaxImages) {
                char msg[64];
                format(msg, sizeof msg, "%u images; at most %u", count_images(node), ManifestZone::kMaxImages);
                return fail(zn, msg);
            }
            ManifestImage& img = z.images[z.image_count];
            if (!known(zn, child, kImageSchema)) return false;
            if (!u64_prop(zn, child, "load-address", v, true, present)) return false;
            img.load = GuestPhys(v);
            const void* data = fdt_getprop(fdt_, child, "data", &len);
            if (!data) return fail(zn, "an image has no 'data' property");
            if (len == 0) return fail(zn, "an image's data is empty");
            img.data = static_cast<const u8*>(data);
            img.size = static_cast<u64>(len);
            if (!ram.contains(img.load, img.size)) {
                char msg[160];
                format(msg, sizeof msg,
                       "an image of %llu bytes at %#llx does not fit inside the zone's memory [%#llx, %#llx)",
                       static_cast<unsigned long long>(img.size), static_cast<unsigned long long>(img.load.raw()),
                       static_cast<unsigned long long>(ram.base.raw()),
                       static_cast<unsigned long long>(ram.end().raw()));
                return fail(zn, msg);
            }
            if (!image_room.contains(img.load, img.size)) {
                char msg[160];
                format(msg, sizeof msg, "an image overlaps the %llu KiB at the top of memory that %s zones start with",
                       static_cast<unsigned long long>(platform_.boot_area_bytes >> 10), platform_.name);
                return fail(zn, msg);
            }
            for (u32 i = 0; i < z.image_count; ++i)
                if (Range<GuestPhys>{z.images[i].load, z.images[i].size}.overlaps({img.load, img.size})) {
                    char msg[160];
                    format(msg, sizeof msg, "two images overlap: [%#llx, %#llx) and [%#llx, %#llx)",
                           static_cast<unsigned long long>(z.images[i].load.raw()),
                           static_cast<unsigned long long>(z.images[i].load.raw() + z.images[i].size),
                           static_cast<unsigned long long>(img.load.raw()),
                           static_cast<unsigned long long>(img.load.raw() + img.size));
                    return fail(zn, msg);
                }
            ++z.image_count;
        }
        if (child < 0 && child != -FDT_ERR_NOTFOUND) return fail(zn, fdt_strerror(child));
        if (z.image_count == 0 && !z.has_linux) return fail(zn, "no image or linux node to run");
        if (z.image_count && z.has_linux) return fail(zn, "a zone runs either images or a linux kernel, not both");
        if (z.has_linux) {
            if (fdt_getprop(fdt_, node, "boot-argument", &len))
                return fail(zn, "boot-argument is for image zones; a Linux zone's x0 is its device tree");
            return true; // entry and x0 follow the Linux boot protocol
        }
        if (!u64_prop(zn, node, "boot-argument", z.boot_argument, false, present)) return false;

        v = z.images[0].load.raw();
        if (!u64_prop(zn, node, "entry", v, false, present)) return false;
        z.entry = GuestPhys(v);
        if (!ram.contains(z.entry, 4)) {
            char msg[128];
            format(msg, sizeof msg, "entry %#llx lies outside the zone's memory [%#llx, %#llx)",
                   static_cast<unsigned long long>(z.entry.raw()), static_cast<unsigned long long>(ram.base.raw()),
                   static_cast<unsigned long long>(ram.end().raw()));
            return fail(zn, msg);
        }
        if (!z.entry.aligned(platform_.entry_alignment)) {
            char msg[64];
            format(msg, sizeof msg, "entry is not %llu-byte aligned",
                   static_cast<unsigned long long>(platform_.entry_alignment));
            return fail(zn, msg);
        }
        return true;
    }

    bool parse(usize blob_size, Manifest& out) {
        if (blob_size < sizeof(fdt_header)) return fail(nullptr, "blob is truncated (smaller than a header)");
        int rc = fdt_check_header(fdt_);
        if (rc != 0) {
            char msg[96];
            format(msg, sizeof msg, "not a valid device tree blob: %s", fdt_strerror(rc));
            return fail(nullptr, msg);
        }
        if (fdt_totalsize(fdt_) > blob_size) {
            char msg[128];
            format(msg, sizeof msg, "blob is truncated: its header says %u bytes, only %lu are present",
                   fdt_totalsize(fdt_), static_cast<unsigned long>(blob_size));
            return fail(nullptr, msg);
        }
        if (fdt_node_check_compatible(fdt_, 0, "bulkhead,manifest-v1") != 0)
            return fail(nullptr, "root node is not compatible with \"bulkhead,manifest-v1\"");
        int zones = fdt_subnode_offset(fdt_, 0, "zones");
        if (zones < 0) return fail(nullptr, "no /zones node");
        char why[160];
        if (!manifest_node_known(fdt_, 0, kRootSchema, why, sizeof why)) return fail(nullptr, why);
        if (!manifest_node_known(fdt_, zones, kZonesSchema, why, sizeof why)) return fail(nullptr, why);
        int node;
        out.zone_count = 0;
        fdt_for_each_subnode(node, fdt_, zones) {
            if (out.zone_count == Manifest::kMaxZones) {
                char msg[64];
                format(msg, sizeof msg, "/zones names %u zones; at most %u", count_children(zones),
                       Manifest::kMaxZones);
                return fail(nullptr, msg);
            }
            ManifestZone& z = out.zones[out.zone_count];
            z = ManifestZone{};
            if (!zone(node, z)) return false;
            ++out.zone_count;
        }
        if (node < 0 && node != -FDT_ERR_NOTFOUND) {
            char msg[96];
            format(msg, sizeof msg, "malformed /zones: %s", fdt_strerror(node));
            return fail(nullptr, msg);
        }
        if (out.zone_count == 0) return fail(nullptr, "/zones names no zone");
        u32 inputs = 0, input = 0; // the console zone: the one asking, else the first
        for (u32 i = 0; i < out.zone_count; ++i)
            if (out.zones[i].console_input) {
                ++inputs;
                input = i;
            }
        if (inputs > 1) {
            char msg[64];
            format(msg, sizeof msg, "%u zones have console-input; at most one may", inputs);
            return fail(nullptr, msg);
        }
        for (u32 i = 0; i < out.zone_count; ++i)
            if (i != input && out.zones[i].has_linux && out.zones[i].linux_boot.stdin_stream()) {
                char msg[160];
                format(msg, sizeof msg,
                       "the workload's stdin \"stream\" needs the host console's input, which goes to zone '%s' "
                       "(give this zone console-input)",
                       out.zones[input].name);
                return fail(out.zones[i].name, msg);
            }
        const ManifestZone* control = nullptr;
        for (u32 i = 0; i < out.zone_count; ++i) {
            if (!out.zones[i].control_domain) continue;
            if (control) {
                char msg[128];
                format(msg, sizeof msg, "zones '%s' and '%s' are both marked control-domain: at most one zone may be",
                       control->name, out.zones[i].name);
                return fail(nullptr, msg);
            }
            control = &out.zones[i];
        }
        for (u32 i = 0; i < out.zone_count; ++i)
            for (u32 j = i + 1; j < out.zone_count; ++j)
                if (__builtin_strcmp(out.zones[i].name, out.zones[j].name) == 0)
                    return fail(out.zones[i].name, "the name is used by two zones");
        for (u32 i = 0; i < out.zone_count; ++i)
            for (u32 j = i + 1; j < out.zone_count; ++j) {
                const ManifestZone& a = out.zones[i];
                const ManifestZone& b = out.zones[j];
                if (a.pinned && b.pinned &&
                    Range<HostPhys>{a.host_address, a.memory_size}.overlaps({b.host_address, b.memory_size})) {
                    char msg[128];
                    format(msg, sizeof msg, "host memory overlaps that of zone '%s'", b.name);
                    return fail(a.name, msg);
                }
            }
        return true;
    }

  private:
    const void* fdt_;
    u32 cpus_;
    const ZonePlatform& platform_;
    ManifestError& err_;
};

} // namespace

bool parse_manifest(const void* blob, usize blob_size, u32 online_cpus, const ZonePlatform& platform, Manifest& out,
                    ManifestError& err) {
    if (!blob) {
        format(err.message, sizeof err.message, "manifest: none was given (no initrd in /chosen)");
        return false;
    }
    Parser p(blob, online_cpus ? online_cpus : 1, platform, err);
    return p.parse(blob_size, out);
}

} // namespace bh
