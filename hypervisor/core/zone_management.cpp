// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone_management.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh {
namespace {

// Runs `f(table, zone)` on the zone the handle in a.arg[0] names, under the
// table lock: for the calls that are short.
template <class F>
HypercallResult with_zone(const HypercallArgs& a, F f) {
    ZoneHandle h;
    if (Status s = decode_zone_handle(a, h); s != Status::ok) return hc_result(s);
    ZoneTable& t = zones();
    Lock<ZoneTable> g(t);
    Zone* z = t.lookup(g.held(), h);
    if (!z) return hc_result(Status::not_found);
    return f(g.held(), *z);
}

HypercallResult restart_with(const HypercallArgs& again) {
    HypercallResult r;
    r.restart = true;
    r.again = again;
    return r;
}

} // namespace

// The first call reserves the zone (state `creating`); each call scrubs one
// step of its memory and restarts until it is built. A restarted call finds
// its zone again by name, and only if the same zone asked for the same size.
HypercallResult hc_zone_create(Vcpu& caller, const HypercallArgs& a) {
    ZoneCreateRequest req;
    if (Status s = decode_zone_create(a, req); s != Status::ok) return hc_result(s);
    ZoneSpec spec;
    if (Status s = copy_from_guest(*caller.zone, req.name_ipa, spec.name, req.name_len); s != Status::ok)
        return hc_result(s);
    spec.name[req.name_len] = '\0';
    if (Status s = validate_zone_name(spec.name, req.name_len); s != Status::ok) return hc_result(s);
    spec.memory_size = req.memory_bytes;
    spec.memory_base = req.ram_base;
    spec.entry = req.ram_base;
    spec.vcpus = req.vcpus;
    spec.privileged = false; // rights are not delegated through creation
    spec.creator = caller.zone->handle;
    // Spread vCPUs over the CPUs, starting past the creator's own.
    unsigned caller_cpu = online_ordinal(caller.home_cpu);
    for (u32 i = 0; i < spec.vcpus; ++i) spec.cpus[i] = (caller_cpu + 1 + i) % bh::online_cpus();

    ZoneTable& t = zones();
    Zone* z = nullptr;
    bool first = false;
    ZonePin pin;
    {
        Lock<ZoneTable> g(t);
        z = t.find(g.held(), spec.name);
        if (z) {
            bool ours = z->state.load() == ZoneState::creating && z->creator.raw() == spec.creator.raw() &&
                        z->ram.base == spec.memory_base && z->ram.size == spec.memory_size &&
                        z->vcpu_count == spec.vcpus;
            if (!ours) return hc_result(Status::bad_state); // the name is taken
        } else {
            if (Status s = t.reserve(g.held(), spec, z); s != Status::ok) return hc_result(s);
            first = true;
            // It reports to its creator, which stays until it is gone.
            z->creator_zone = caller.zone;
            caller.zone->pins.fetch_add(1);
        }
        pin.hold(g.held(), *z);
    }
    bool done = false;
    Status s = zone_build(*z, kManagementStepBytes, done);
    pin.release();
    if (s != Status::ok) {
        // Out of memory for its page tables, or stopped meanwhile: it goes.
        (void)zone_destroy(*z);
        return hc_result(s);
    }
    if (first)
        log("zone '%s' being created by '%s': %llu KiB, %u vCPU(s)", z->name, caller.zone->name,
            static_cast<unsigned long long>(spec.memory_size >> 10), spec.vcpus);
    if (!done) return restart_with(a);
    log("zone '%s' created", z->name);
    HypercallResult r;
    r.ret[0] = z->handle.raw();
    return r;
}

// Copies one step under the target's lock (so it cannot start meanwhile),
// then restarts with the rest. The whole range is checked at every step, so
// a bad range is refused before the first byte moves.
HypercallResult hc_zone_load(Vcpu& caller, const HypercallArgs& a) {
    ZoneLoadRequest req;
    if (Status s = decode_zone_load(a, req); s != Status::ok) return hc_result(s);
    ZoneTable& t = zones();
    Zone* z;
    ZonePin pin;
    {
        Lock<ZoneTable> g(t);
        z = t.lookup(g.held(), req.zone);
        if (!z) return hc_result(Status::not_found);
        pin.hold(g.held(), *z);
    }
    u64 n = req.length < kManagementStepBytes ? req.length : kManagementStepBytes;
    Status s;
    {
        Lock<Zone> zl(*z);
        if (z->state.load() != ZoneState::created)
            s = Status::bad_state;
        else if (!zone_range_is_ram(*z, req.dest, req.length) || !zone_range_is_ram(*caller.zone, req.src, req.length))
            s = Status::invalid_argument;
        else
            s = copy_between_zones(*z, req.dest, *caller.zone, req.src, n);
    }
    pin.release();
    if (s != Status::ok || n == req.length) return hc_result(s);
    HypercallArgs again = a;
    again.arg[1] = (req.dest + n).raw();
    again.arg[2] = (req.src + n).raw();
    again.arg[3] = req.length - n;
    return restart_with(again);
}

HypercallResult hc_zone_set_entry(Vcpu&, const HypercallArgs& a) {
    ZoneSetEntryRequest req;
    if (Status s = decode_zone_set_entry(a, req); s != Status::ok) return hc_result(s);
    ZoneTable& t = zones();
    Lock<ZoneTable> g(t);
    Zone* z = t.lookup(g.held(), req.zone);
    if (!z) return hc_result(Status::not_found);
    if (req.vcpu >= z->vcpu_count || !z->ram.contains(req.pc, 4)) return hc_result(Status::invalid_argument);
    Lock<Zone> zl(*z);
    if (z->state.load() != ZoneState::created) return hc_result(Status::bad_state);
    arch::vcpu_reset(z->vcpus[req.vcpu], req.pc, req.x0);
    return hc_result(Status::ok);
}

HypercallResult hc_zone_start(Vcpu&, const HypercallArgs& a) {
    return with_zone(a, [](Locked<ZoneTable>, Zone& z) {
        Status s = zone_start(z);
        if (s == Status::ok) log("zone '%s' started", z.name);
        return hc_result(s);
    });
}

HypercallResult hc_zone_stop(Vcpu& caller, const HypercallArgs& a) {
    Zone& self = *caller.zone;
    return with_zone(a, [&](Locked<ZoneTable>, Zone& z) {
        if (&z == &self) return hc_result(Status::invalid_argument);
        char why[64];
        format(why, sizeof why, "by '%s'", self.name);
        zone_end(z, ZoneState::stopped, BH_EXIT_STOPPED, 0, why);
        return hc_result(Status::ok);
    });
}

// PAUSE and RESUME: one state change of another zone, logged.
template <Status (*change)(Zone&)>
HypercallResult change_other_zone(Vcpu& caller, const HypercallArgs& a, const char* done) {
    Zone& self = *caller.zone;
    return with_zone(a, [&](Locked<ZoneTable>, Zone& z) {
        if (&z == &self) return hc_result(Status::invalid_argument);
        Status s = change(z);
        if (s == Status::ok) log("zone '%s' %s by '%s'", z.name, done, self.name);
        return hc_result(s);
    });
}

HypercallResult hc_zone_pause(Vcpu& caller, const HypercallArgs& a) {
    return change_other_zone<zone_pause>(caller, a, "paused");
}

HypercallResult hc_zone_resume(Vcpu& caller, const HypercallArgs& a) {
    return change_other_zone<zone_resume>(caller, a, "resumed");
}

HypercallResult hc_zone_destroy(Vcpu& caller, const HypercallArgs& a) {
    Zone& self = *caller.zone;
    ZoneHandle h;
    if (Status s = decode_zone_handle(a, h); s != Status::ok) return hc_result(s);
    Zone* z;
    {
        Lock<ZoneTable> g(zones());
        z = zones().lookup(g.held(), h);
        if (!z) return hc_result(Status::not_found);
        if (z == &self) return hc_result(Status::invalid_argument);
        if (Status s = zones().unlink(g.held(), *z); s != Status::ok) return hc_result(s);
    }
    // Out of the table: nobody else can reach it, so freeing needs no lock.
    log("zone '%s' destroyed by '%s'", z->name, self.name);
    zone_free(*z);
    return hc_result(Status::ok);
}

HypercallResult hc_zone_status(Vcpu&, const HypercallArgs& a) {
    return with_zone(a, [](Locked<ZoneTable>, Zone& z) {
        HypercallResult r;
        Lock<Zone> zl(z); // state, reason and code change together
        r.ret[0] = static_cast<u64>(z.state.load());
        r.ret[1] = z.exit_reason;
        r.ret[2] = z.exit_code;
        r.ret[3] = z.chunk_count ? z.chunks[0].host.raw() : 0;
        return r;
    });
}

// What a control plane needs to place zones: CPUs, memory, how many zones.
HypercallResult hc_host_info(Vcpu&, const HypercallArgs&) {
    ZoneTable& t = zones();
    HypercallResult r;
    r.ret[0] = bh::online_cpus();
    r.ret[1] = t.frames().free_pages() * kPageSize;
    r.ret[2] = t.frames().total_pages() * kPageSize;
    Lock<ZoneTable> g(t);
    u64 n = 0;
    for (unsigned i = 0; i < ZoneTable::kSlots; ++i) n += t.at(g.held(), i) != nullptr;
    r.ret[3] = n;
    return r;
}

} // namespace bh
