// SPDX-License-Identifier: GPL-2.0-only
// Builds and starts the zones the manifest names. Everything is validated
// and built before any zone starts: a manifest either starts whole or not at all.
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/boot_zones.hpp>
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh {

bool create_boot_zones(const Manifest& m) {
    ZoneTable& t = zones();
    Zone* created[Manifest::kMaxZones] = {};
    {
        LockGuard g(t.lock());
        for (u32 i = 0; i < m.zone_count; ++i) {
            const ManifestZone& mz = m.zones[i];
            ZoneSpec spec;
            __builtin_memcpy(spec.name, mz.name, sizeof spec.name);
            spec.memory_base = mz.memory_base;
            spec.memory_size = mz.memory_size;
            spec.pinned = mz.pinned;
            spec.host_address = mz.host_address;
            spec.vcpus = mz.vcpus;
            for (u32 c = 0; c < mz.vcpus; ++c) spec.cpus[c] = mz.cpus[c];
            spec.privileged = mz.privileged;
            spec.fault_policy = mz.fault_policy;
            spec.entry = mz.entry;
            spec.watchdog_ms = mz.watchdog_ms;
            Zone* z = nullptr;
            Status s = t.create(spec, z);
            if (s == Status::ok && mz.has_linux) s = arch::prepare_linux_zone(*z, mz.linux_boot);
            if (s == Status::ok)
                for (u32 k = 0; k < mz.image_count && s == Status::ok; ++k)
                    s = copy_to_guest(*z, mz.images[k].load, mz.images[k].data, mz.images[k].size);
            if (s != Status::ok) {
                if (mz.pinned && s == Status::busy)
                    log("zone '%s': host memory [%#llx, +%#llx) is not free RAM", mz.name,
                        static_cast<unsigned long long>(mz.host_address.raw()),
                        static_cast<unsigned long long>(mz.memory_size));
                else
                    log("zone '%s': cannot be created: %s", mz.name, status_name(s));
                for (u32 k = 0; k < i; ++k) t.destroy(*created[k]);
                if (z) t.destroy(*z);
                return false;
            }
            created[i] = z;
            log("zone '%s': %llu KiB at IPA %#llx (host %#llx%s), %u vCPU(s)%s, fault policy %s, overhead %llu KiB",
                z->name, static_cast<unsigned long long>(mz.memory_size >> 10),
                static_cast<unsigned long long>(mz.memory_base.raw()),
                static_cast<unsigned long long>(z->chunks[0].host.raw()), z->chunk_count > 1 ? ", fragmented" : "",
                mz.vcpus, mz.privileged ? ", privileged" : "",
                mz.fault_policy == FaultPolicy::stop ? "stop" : "abort",
                static_cast<unsigned long long>(zone_overhead_bytes(*z) >> 10));
        }
    }
    // The host console's input goes to the zone that asks for it, else the first.
    u32 input = 0;
    for (u32 i = 0; i < m.zone_count; ++i)
        if (m.zones[i].console_input) input = i;
    t.set_console_zone(created[input]);
    hold_power();
    for (u32 i = 0; i < m.zone_count; ++i) zone_start(*created[i]);
    release_power();
    return true;
}

} // namespace bh
