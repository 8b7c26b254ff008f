// SPDX-License-Identifier: GPL-2.0-only
// The zone table: slots, names and handles. Everything here runs under the
// table lock and is short; building and freeing zones is in zone_build.cpp.
#include <new>

#include <bulkhead/log.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh {

namespace {
ZoneTable table;
constexpr u64 kZoneObjectPages = align_up(sizeof(Zone), kPageSize) / kPageSize;
} // namespace

ZoneTable& zones() { return table; }

u64 zone_object_pages() { return kZoneObjectPages; }

bool Zone::ram_to_host(GuestPhys ipa, HostPhys& out, u64& contiguous) const {
    for (unsigned i = 0; i < chunk_count; ++i) {
        const MemoryChunk& c = chunks[i];
        if (Range<GuestPhys>{c.guest, c.size}.contains(ipa)) {
            out = c.host + (ipa - c.guest);
            contiguous = c.size - (ipa - c.guest);
            return true;
        }
    }
    return false;
}

Status zone_claim_memory(Zone& z, const ZoneSpec& spec, FrameAllocator& frames);
void zone_release_memory(Zone& z, FrameAllocator& frames);

Status ZoneTable::reserve(Locked<ZoneTable>, const ZoneSpec& spec, Zone*& out) {
    unsigned slot = kSlots;
    for (unsigned i = 0; i < kSlots; ++i) {
        if (slots_[i].zone) {
            if (__builtin_strcmp(slots_[i].zone->name, spec.name) == 0) return Status::bad_state;
        } else if (slot == kSlots) {
            slot = i;
        }
    }
    if (slot == kSlots) return Status::no_memory;

    // The platform's rules hold for every zone, not only the manifest's.
    char why[160];
    if (!arch::kZonePlatform.ram_allowed({spec.memory_base, spec.memory_size}, why, sizeof why)) {
        log("zone '%s': %s", spec.name, why);
        return Status::invalid_argument;
    }
    HostPhys obj;
    if (!frames_->alloc(kZoneObjectPages, 1, obj)) return Status::no_memory;
    Zone* z = new (phys_to_ptr<void>(obj)) Zone;
    __builtin_memcpy(z->name, spec.name, sizeof z->name);
    z->creator = spec.creator;
    z->privileged = spec.privileged;
    z->watchdog_ms = spec.watchdog_ms;
    z->fault_policy = spec.fault_policy;
    z->ram = {spec.memory_base, spec.memory_size};
    z->console.attach(*z);
    z->vcpu_count = spec.vcpus; // zone_init sizes per-vCPU state by it
    for (u32 i = 0; i < spec.vcpus; ++i) {
        Vcpu& v = z->vcpus[i];
        v.zone = z;
        v.index = i;
        v.home_cpu = online_cpu(spec.cpus[i]); // counted over online CPUs: no gaps
    }
    z->boot_entry = spec.entry;
    z->boot_argument = spec.boot_argument;
    Status s = z->stage2.init(*frames_);
    if (s == Status::ok) s = zone_claim_memory(*z, spec, *frames_);
    if (s != Status::ok) {
        zone_release_memory(*z, *frames_);
        z->stage2.destroy();
        z->~Zone();
        frames_->free(obj, kZoneObjectPages);
        return s;
    }
    Slot& sl = slots_[slot];
    sl.generation = sl.generation + 1 ? sl.generation + 1 : 1;
    sl.zone = z;
    z->handle = {slot, sl.generation};
    out = z;
    return Status::ok;
}

Zone* ZoneTable::lookup(Locked<ZoneTable>, ZoneHandle h) {
    if (h.slot >= kSlots) return nullptr;
    Slot& s = slots_[h.slot];
    return s.zone && s.generation == h.generation ? s.zone : nullptr;
}

Zone* ZoneTable::find(Locked<ZoneTable>, const char* name) {
    for (Slot& s : slots_)
        if (s.zone && __builtin_strcmp(s.zone->name, name) == 0) return s.zone;
    return nullptr;
}

Status ZoneTable::unlink(Locked<ZoneTable>, Zone& z) {
    // A running or paused zone is stopped first; an ended one can never run again
    // (vcpu_start_with refuses), so once its vCPUs are detached they stay so.
    {
        Lock<Zone> zl(z);
        if (z.is_live()) return Status::bad_state;
        if (z.pins.load() != 0) return Status::busy;
        // Never started: it never will be now.
        if (!z.has_ended()) z.state.store(ZoneState::stopped);
    }
    for (u32 i = 0; i < z.vcpu_count; ++i)
        if (!sched::detach(z.vcpus[i])) return Status::busy;
    slots_[z.handle.slot].zone = nullptr;
    if (console_zone_ == &z) console_zone_ = nullptr;
    return Status::ok;
}

} // namespace bh
