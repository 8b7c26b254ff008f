// SPDX-License-Identifier: GPL-2.0-only
// Builds and starts the zones the manifest names. Everything is validated
// and built before any zone starts: a manifest either starts whole or not at all.
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/boot_zones.hpp>
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh {
namespace {

ZoneSpec spec_of(const ManifestZone& mz) {
    ZoneSpec spec;
    __builtin_memcpy(spec.name, mz.name, sizeof spec.name);
    spec.memory_base = mz.memory_base;
    spec.memory_size = mz.memory_size;
    spec.pinned = mz.pinned;
    spec.host_address = mz.host_address;
    spec.vcpus = mz.vcpus;
    for (u32 c = 0; c < mz.vcpus; ++c) spec.cpus[c] = mz.cpus[c];
    spec.privileged = mz.privileged;
    spec.control_domain = mz.control_domain;
    spec.fault_policy = mz.fault_policy;
    spec.entry = mz.entry;
    spec.boot_argument = mz.boot_argument;
    spec.watchdog_ms = mz.watchdog_ms;
    return spec;
}

Status fill(Zone& z, const ManifestZone& mz) {
    if (mz.has_linux) return arch::prepare_linux_zone(z, mz.linux_boot);
    for (u32 k = 0; k < mz.image_count; ++k)
        if (Status s = copy_to_guest(z, mz.images[k].load, mz.images[k].data, mz.images[k].size); s != Status::ok)
            return s;
    return Status::ok;
}

} // namespace

bool create_boot_zones(const Manifest& m) {
    Zone* created[Manifest::kMaxZones] = {};
    for (u32 i = 0; i < m.zone_count; ++i) {
        const ManifestZone& mz = m.zones[i];
        Zone* z = nullptr;
        Status s = zone_create(spec_of(mz), z);
        if (s == Status::ok) s = fill(*z, mz);
        if (s != Status::ok) {
            if (mz.pinned && s == Status::busy)
                log("zone '%s': host memory [%#llx, +%#llx) is not free RAM", mz.name,
                    static_cast<unsigned long long>(mz.host_address.raw()),
                    static_cast<unsigned long long>(mz.memory_size));
            else
                log("zone '%s': cannot be created: %s", mz.name, status_name(s));
            if (z) (void)zone_destroy(*z);
            for (u32 k = 0; k < i; ++k) (void)zone_destroy(*created[k]);
            return false;
        }
        created[i] = z;
        log("zone '%s': %llu KiB at IPA %#llx (host %#llx%s), %u vCPU(s)%s, fault policy %s, overhead %llu KiB",
            z->name, static_cast<unsigned long long>(mz.memory_size >> 10),
            static_cast<unsigned long long>(z->ram.base.raw()),
            static_cast<unsigned long long>(z->chunks[0].host.raw()), z->chunk_count > 1 ? ", fragmented" : "",
            mz.vcpus,
            mz.control_domain ? ", control domain"
            : mz.privileged   ? ", privileged"
                              : "",
            mz.fault_policy == FaultPolicy::stop ? "stop" : "abort",
            static_cast<unsigned long long>(zone_overhead_bytes(*z) >> 10));
    }
    // The host console's input goes to the zone that asks for it, else the
    // control domain (the machine's serial line is its console), else the first.
    u32 input = 0;
    for (u32 i = 0; i < m.zone_count; ++i)
        if (m.zones[i].control_domain) input = i;
    for (u32 i = 0; i < m.zone_count; ++i)
        if (m.zones[i].console_input) input = i;
    {
        Lock<ZoneTable> g(zones());
        zones().set_console_zone(g.held(), created[input]);
    }
    hold_power();
    for (u32 i = 0; i < m.zone_count; ++i) (void)zone_start(*created[i]);
    release_power();
    return true;
}

} // namespace bh
