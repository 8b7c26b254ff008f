// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/control_calls.hpp>
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/virtio_mmio_slots.hpp>
#include <bulkhead/zone_management.hpp>
#include <bulkhead/zone_table.hpp>

#include <arch/zone_platform.hpp>

namespace bh {
namespace {

// The zone a.arg[0] names, pinned; only if the caller serves it when
// `served` (permission_denied otherwise).
Status served_zone(Vcpu& caller, const HypercallArgs& a, bool served, ZonePin& pin, Zone*& out) {
    ZoneHandle h;
    if (Status s = decode_zone_handle(a, h); s != Status::ok) return s;
    Lock<ZoneTable> g(zones());
    Zone* z = zones().lookup(g.held(), h);
    if (!z) return Status::not_found;
    if (served && z->server != caller.zone) return Status::permission_denied;
    pin.hold(g.held(), *z);
    out = z;
    return Status::ok;
}

// Takes `z`'s RAM out of `server`'s stage 2 (the server's lock only: two
// zone locks are never held at once).
void unmap_from(Zone& server, GuestPhys at, u64 size) {
    {
        Lock<Zone> sl(server);
        (void)server.stage2.unmap(at, size); // exactly what was mapped: never splits
    }
    arch::flush_guest_tlb(server);
}

} // namespace

// Level-triggered: the same event comes again until the caller deals with
// it (pulls the requests; hears of an end once). Round robin over the zone
// table from the caller's cursor: each zone with something to say is named
// in turn, however busy the others are.
HypercallResult hc_event_next(Vcpu& caller, const HypercallArgs&) {
    Zone& self = *caller.zone;
    Lock<ZoneTable> g(zones());
    for (unsigned n = 0; n < ZoneTable::kSlots; ++n) {
        const unsigned i = (self.event_cursor + n) % ZoneTable::kSlots;
        Zone* z = zones().at(g.held(), i);
        if (!z) continue;
        HypercallResult r;
        if (z->creator_zone == &self && z->end_unreported.exchange(false)) {
            Lock<Zone> zl(*z);
            r.ret[0] = BH_EVENT_ZONE_ENDED;
            r.ret[1] = z->handle.raw();
            r.ret[2] = static_cast<u64>(z->state.load()) | u64(z->exit_reason) << 8;
            r.ret[3] = z->exit_code;
        } else if (z->server == &self && z->ioreqs.ready() != 0) {
            r.ret[0] = BH_EVENT_IOREQ;
            r.ret[1] = z->handle.raw();
        } else {
            continue;
        }
        self.event_cursor = (i + 1) % ZoneTable::kSlots;
        return r;
    }
    return hc_result(Status::not_found);
}

// Before the zone runs: the slot's accesses go to the caller from its
// first instruction on.
HypercallResult hc_ioreq_serve(Vcpu& caller, const HypercallArgs& a) {
    u64 slot = a.arg[1];
    if (slot >= VirtioMmioSlots::kSlots) return hc_result(Status::invalid_argument);
    ZonePin pin;
    Zone* z;
    if (Status s = served_zone(caller, a, false, pin, z); s != Status::ok) return hc_result(s);
    if (z == caller.zone) return hc_result(Status::invalid_argument);
    Lock<ZoneTable> g(zones()); // against another caller claiming it at once
    Lock<Zone> zl(*z);
    if (z->state.load() != ZoneState::created) return hc_result(Status::bad_state);
    if (z->server && z->server != caller.zone) return hc_result(Status::permission_denied);
    if (!z->server) {
        z->server = caller.zone;
        caller.zone->pins.fetch_add(1); // a server outlives what it serves
    }
    z->served_slots |= u32(1) << slot;
    return hc_result(Status::ok);
}

HypercallResult hc_ioreq_next(Vcpu& caller, const HypercallArgs& a) {
    GuestPhys buffer(a.arg[1]);
    if (!zone_range_is_ram(*caller.zone, buffer, sizeof(ioreq_t))) return hc_result(Status::invalid_argument);
    ZonePin pin;
    Zone* z;
    if (Status s = served_zone(caller, a, true, pin, z); s != Status::ok) return hc_result(s);
    ioreq_t req;
    u64 id;
    if (Status s = z->ioreqs.next(req, id); s != Status::ok) return hc_result(s);
    // Checked above: the copy cannot fail, so the request is not lost.
    (void)copy_to_guest(*caller.zone, buffer, &req, sizeof req);
    HypercallResult r;
    r.ret[0] = id;
    return r;
}

HypercallResult hc_ioreq_complete(Vcpu& caller, const HypercallArgs& a) {
    ZonePin pin;
    Zone* z;
    if (Status s = served_zone(caller, a, true, pin, z); s != Status::ok) return hc_result(s);
    return hc_result(z->ioreqs.complete(a.arg[1], a.arg[2]));
}

HypercallResult hc_zone_irq(Vcpu& caller, const HypercallArgs& a) {
    u64 line = a.arg[1];
    ZonePin pin;
    Zone* z;
    if (Status s = served_zone(caller, a, true, pin, z); s != Status::ok) return hc_result(s);
    u32 slot = VirtioMmioSlots::slot_of_line(line);
    if (slot >= VirtioMmioSlots::kSlots || !(z->served_slots >> slot & 1)) return hc_result(Status::invalid_argument);
    if (!z->is_live()) return hc_result(Status::bad_state); // pending until it resumes
    arch::raise_zone_interrupt(*z, static_cast<u32>(line));
    return hc_result(Status::ok);
}

// The served zone's RAM, contiguous at `at` in the caller's guest-physical
// space, where nothing else is: the caller's backend reads and writes its
// queues and buffers there. Undone by ZONE_UNMAP or by destroying the zone.
HypercallResult hc_zone_map(Vcpu& caller, const HypercallArgs& a) {
    GuestPhys at(a.arg[1]);
    ZonePin pin;
    Zone* z;
    if (Status s = served_zone(caller, a, true, pin, z); s != Status::ok) return hc_result(s);
    Zone& self = *caller.zone;
    Range<GuestPhys> window{at, z->ram.size};
    char why[160];
    if (!arch::kZonePlatform.ram_allowed(window, why, sizeof why) || window.overlaps(self.ram))
        return hc_result(Status::invalid_argument);
    {
        Lock<Zone> zl(*z); // claim the mapping first (two zone locks are never held at once)
        if (z->mapped_in) return hc_result(Status::bad_state);
        z->mapped_in = &self;
        z->mapped_at = at;
    }
    Status s = Status::ok;
    {
        Lock<Zone> sl(self); // the caller's stage 2 (its other vCPUs may map too)
        unsigned i = 0;
        for (; i < z->chunk_count && s == Status::ok; ++i) {
            const MemoryChunk& c = z->chunks[i];
            s = self.stage2.map(at + (c.guest - z->ram.base), c.host, c.size, MemAttr::ram());
        }
        if (s != Status::ok) // bad_state: something is mapped there already
            for (unsigned k = 0; k + 1 < i; ++k)
                (void)self.stage2.unmap(at + (z->chunks[k].guest - z->ram.base), z->chunks[k].size);
    }
    if (s != Status::ok) {
        Lock<Zone> zl(*z);
        z->mapped_in = nullptr;
    }
    return hc_result(s);
}

HypercallResult hc_zone_unmap(Vcpu& caller, const HypercallArgs& a) {
    ZonePin pin;
    Zone* z;
    if (Status s = served_zone(caller, a, true, pin, z); s != Status::ok) return hc_result(s);
    GuestPhys at;
    {
        Lock<Zone> zl(*z);
        if (z->mapped_in != caller.zone) return hc_result(Status::bad_state);
        z->mapped_in = nullptr;
        at = z->mapped_at;
    }
    unmap_from(*caller.zone, at, z->ram.size);
    return hc_result(Status::ok);
}

void control_release(Zone& z) {
    if (z.mapped_in) unmap_from(*z.mapped_in, z.mapped_at, z.ram.size);
    z.mapped_in = nullptr;
    z.ioreqs.cancel();
    if (z.server) z.server->pins.fetch_sub(1);
    if (z.creator_zone) z.creator_zone->pins.fetch_sub(1);
    z.server = z.creator_zone = nullptr;
}

} // namespace bh
