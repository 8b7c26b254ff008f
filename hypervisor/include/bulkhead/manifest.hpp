// SPDX-License-Identifier: GPL-2.0-only
// The zone manifest: a device tree blob naming the zones to start at boot.
// Schema: docs/zone-manifest.md. Parsing validates everything up front and
// fails with one clear message, so a bad manifest never half-starts zones.
#pragma once

#include <bulkhead/abi/hypercall.h>
#include <bulkhead/types.hpp>
#include <bulkhead/zone_platform.hpp>

namespace bh {

enum class FaultPolicy : u8 {
    abort, // inject a synchronous external abort, as a bus error would
    stop,  // stop the zone (crashed, reason: fault)
};

struct ManifestImage {
    GuestPhys load;
    const u8* data = nullptr;
    u64 size = 0;
};

// A blob inside the manifest (or zone memory) with its length.
struct Blob {
    const u8* data = nullptr;
    u64 size = 0;
    bool present() const { return data != nullptr; }
};

// A Linux kernel to boot in the zone (arm64 boot protocol), and what its
// zone init should run. Strings point into the manifest.
struct LinuxBoot {
    Blob kernel;
    Blob initrd;
    Blob bootargs;   // NUL-terminated string
    Blob command;    // NUL-terminated string; absent: no workload node
    Blob args;       // DT string list (NUL-separated strings)
    Blob env;        // DT string list of KEY=VALUE
    Blob cwd;        // NUL-terminated string
    Blob stdin_mode; // NUL-terminated string: "console" or "stream" (absent: console)
    bool stdin_stream() const;
};

struct ManifestZone {
    static constexpr unsigned kMaxImages = 4;
    char name[BH_ZONE_NAME_MAX + 1] = {};
    GuestPhys memory_base;
    u64 memory_size = 0;
    bool pinned = false; // memory at a fixed host-physical address
    HostPhys host_address;
    u32 vcpus = 0;
    u32 cpus[BH_ZONE_VCPUS_MAX] = {}; // physical CPU of each vCPU
    bool privileged = false;
    // The control domain (at most one; implies privileged): RAM at guest-
    // physical = host-physical, the node's devices passed through.
    bool control_domain = false;
    bool console_input = false; // receives the host console's input
    u64 watchdog_ms = 0;        // crash the zone if it still runs after this long (0: never)
    FaultPolicy fault_policy = FaultPolicy::abort;
    GuestPhys entry;
    u64 boot_argument = 0; // x0 (arm64) or RDI (x86) of vCPU 0 at its entry
    ManifestImage images[kMaxImages];
    u32 image_count = 0;
    bool has_linux = false;
    LinuxBoot linux_boot;
};

struct Manifest {
    static constexpr unsigned kMaxZones = 16;
    ManifestZone zones[kMaxZones];
    u32 zone_count = 0;
};

struct ManifestError {
    char message[256] = {};
};

// Parses and validates `blob` of `blob_size` bytes against the rules of
// `platform` (arch::kZonePlatform; tests pass each architecture's).
// `online_cpus` bounds the physical CPUs that vCPUs may be placed on. On
// failure `err` says what is wrong and where. The result points into the
// blob for image data.
bool parse_manifest(const void* blob, usize blob_size, u32 online_cpus, const ZonePlatform& platform, Manifest& out,
                    ManifestError& err);

} // namespace bh
