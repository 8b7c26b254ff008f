// SPDX-License-Identifier: GPL-2.0-only
// Building and freeing zones: claiming, scrubbing and mapping their RAM in
// bounded steps, the architecture's set-up, and the way back.
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/control_calls.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh {

u64 zone_object_pages();

// Claims the frames behind the zone's RAM: as few chunks as possible, 2 MiB
// aligned when large, so stage 2 can use block mappings; smaller runs when
// memory is fragmented. Nothing is written to them yet.
Status zone_claim_memory(Zone& z, const ZoneSpec& spec, FrameAllocator& frames) {
    u64 pages = spec.memory_size / kPageSize;
    if (spec.control_domain && !spec.pinned) {
        // One run, aligned for block mappings, mapped where it is: devices
        // the control domain drives DMA to the addresses its kernel knows.
        HostPhys pa;
        if (!frames.alloc(pages, arch::kZonePlatform.ram_base_alignment / kPageSize, pa)) return Status::no_memory;
        z.ram.base = GuestPhys(pa.raw());
        z.chunks[0] = {z.ram.base, pa, spec.memory_size};
        z.chunk_count = 1;
        return Status::ok;
    }
    if (spec.pinned) {
        if (Status s = frames.claim(spec.host_address, pages); s != Status::ok) return s;
        z.chunks[0] = {spec.memory_base, spec.host_address, spec.memory_size};
        z.chunk_count = 1;
        z.pinned = true;
        return Status::ok;
    }
    u64 done = 0, want = pages;
    while (done < pages) {
        if (z.chunk_count == Zone::kMaxChunks) return Status::no_memory;
        u64 n = want < pages - done ? want : pages - done;
        HostPhys pa;
        if (!frames.alloc(n, n >= 512 ? 512 : 1, pa)) {
            if (n == 1) return Status::no_memory;
            want = n / 2;
            continue;
        }
        z.chunks[z.chunk_count++] = {spec.memory_base + done * kPageSize, pa, n * kPageSize};
        done += n;
    }
    return Status::ok;
}

void zone_release_memory(Zone& z, FrameAllocator& frames) {
    for (unsigned i = 0; i < z.chunk_count; ++i) frames.free(z.chunks[i].host, z.chunks[i].size / kPageSize);
    z.chunk_count = 0;
}

Status zone_build(Zone& z, u64 budget, bool& done) {
    Lock<Zone> zl(z);
    done = false;
    if (z.state.load() != ZoneState::creating) return Status::bad_state; // stopped meanwhile
    // Chunks are scrubbed in order; scrubbed_bytes says how far.
    u64 offset = 0;
    for (unsigned i = 0; i < z.chunk_count && budget; ++i) {
        const MemoryChunk& c = z.chunks[i];
        if (z.scrubbed_bytes >= offset + c.size) {
            offset += c.size;
            continue;
        }
        u64 from = z.scrubbed_bytes - offset;
        u64 n = c.size - from < budget ? c.size - from : budget;
        // Zeroed before the zone can see it: no data survives from earlier owners.
        arch::zero_guest_memory(c.host + from, n);
        z.scrubbed_bytes += n;
        budget -= n;
        if (from + n == c.size)
            if (Status s = z.stage2.map(c.guest, c.host, c.size, MemAttr::ram()); s != Status::ok) return s;
        offset += c.size;
    }
    if (z.scrubbed_bytes < z.ram.size) return Status::ok;
    if (Status s = arch::zone_init(z); s != Status::ok) return s;
    z.arch_ready = true;
    for (u32 i = 0; i < z.vcpu_count; ++i) arch::vcpu_reset(z.vcpus[i], z.boot_entry, i == 0 ? z.boot_argument : 0);
    z.state.store(ZoneState::created);
    done = true;
    return Status::ok;
}

void zone_free(Zone& z) {
    z.console.flush();
    control_release(z);
    if (z.arch_ready) arch::zone_fini(z);
    z.stage2.destroy();
    FrameAllocator& frames = zones().frames();
    zone_release_memory(z, frames);
    HostPhys obj = ptr_to_phys(&z);
    z.~Zone();
    frames.free(obj, zone_object_pages());
}

Status zone_create(const ZoneSpec& spec, Zone*& out) {
    ZoneTable& t = zones();
    Zone* z = nullptr;
    {
        Lock<ZoneTable> g(t);
        if (Status s = t.reserve(g.held(), spec, z); s != Status::ok) return s;
    }
    bool done = false;
    Status s = Status::ok;
    while (s == Status::ok && !done) s = zone_build(*z, ~u64(0), done);
    if (s != Status::ok) {
        (void)zone_destroy(*z);
        return s;
    }
    out = z;
    return Status::ok;
}

Status zone_destroy(Zone& z) {
    {
        Lock<ZoneTable> g(zones());
        if (Status s = zones().unlink(g.held(), z); s != Status::ok) return s;
    }
    zone_free(z);
    return Status::ok;
}

u64 zone_overhead_bytes(const Zone& z) {
    return (zone_object_pages() + z.stage2.table_pages()) * kPageSize + arch::zone_arch_bytes(z);
}

} // namespace bh
