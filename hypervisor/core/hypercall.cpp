// SPDX-License-Identifier: GPL-2.0-only
// Every handler decodes and validates first, then commits; an error leaves
// no trace. Management calls hold the zone table lock throughout.
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/hypercall.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_table.hpp>

#include <bulkhead/arch_interface.hpp>

namespace bh {
namespace {

HypercallResult result(Status s) {
    HypercallResult r;
    r.status = s;
    return r;
}

HypercallResult zone_create(Vcpu& caller, const HypercallArgs& a) {
    ZoneCreateRequest req;
    if (Status s = decode_zone_create(a, req); s != Status::ok) return result(s);
    ZoneSpec spec;
    if (Status s = copy_from_guest(*caller.zone, req.name_ipa, spec.name, req.name_len); s != Status::ok)
        return result(s);
    spec.name[req.name_len] = '\0';
    if (Status s = validate_zone_name(spec.name, req.name_len); s != Status::ok) return result(s);
    spec.memory_size = req.memory_bytes;
    spec.vcpus = req.vcpus;
    spec.privileged = false; // rights are not delegated through creation
    ZoneTable& t = zones();
    LockGuard g(t.lock());
    // Spread vCPUs over the CPUs, starting past the creator's own.
    for (u32 i = 0; i < spec.vcpus; ++i) spec.cpus[i] = (caller.home_cpu + 1 + i) % arch::online_cpus();
    Zone* z = nullptr;
    Status s = t.create(spec, z);
    if (s != Status::ok) return result(s);
    log("zone '%s' created by '%s': %llu KiB, %u vCPU(s)", z->name, caller.zone->name,
        static_cast<unsigned long long>(spec.memory_size >> 10), spec.vcpus);
    HypercallResult r;
    r.ret[0] = z->handle.raw();
    return r;
}

HypercallResult zone_load(Vcpu& caller, const HypercallArgs& a) {
    ZoneLoadRequest req;
    if (Status s = decode_zone_load(a, req); s != Status::ok) return result(s);
    ZoneTable& t = zones();
    LockGuard g(t.lock());
    Zone* z = t.lookup(req.zone);
    if (!z) return result(Status::not_found);
    if (z->state != ZoneState::created) return result(Status::bad_state);
    return result(copy_between_zones(*z, req.dest, *caller.zone, req.src, req.length));
}

HypercallResult zone_set_entry(const HypercallArgs& a) {
    ZoneSetEntryRequest req;
    if (Status s = decode_zone_set_entry(a, req); s != Status::ok) return result(s);
    ZoneTable& t = zones();
    LockGuard g(t.lock());
    Zone* z = t.lookup(req.zone);
    if (!z) return result(Status::not_found);
    if (req.vcpu >= z->vcpu_count || !z->ram.contains(req.pc, 4)) return result(Status::invalid_argument);
    if (z->state != ZoneState::created) return result(Status::bad_state);
    arch::vcpu_reset(z->vcpus[req.vcpu], req.pc, req.x0);
    return result(Status::ok);
}

template <class F>
HypercallResult with_zone(const HypercallArgs& a, F f) {
    ZoneHandle h;
    if (Status s = decode_zone_handle(a, h); s != Status::ok) return result(s);
    ZoneTable& t = zones();
    LockGuard g(t.lock());
    Zone* z = t.lookup(h);
    if (!z) return result(Status::not_found);
    return f(t, *z);
}

} // namespace

HypercallResult handle_hypercall(Vcpu& caller, const HypercallArgs& a) {
    Hypercall h = classify_hypercall(a.fn);
    if (h == Hypercall::unknown) return result(Status::not_supported);
    Zone& self = *caller.zone;
    if (is_management_call(h) && !self.privileged) return result(Status::permission_denied);

    switch (h) {
    case Hypercall::version: {
        HypercallResult r;
        r.ret[0] = (BH_VERSION_MAJOR << 16) | BH_VERSION_MINOR;
        return r;
    }
    case Hypercall::zone_self: {
        HypercallResult r;
        r.ret[0] = self.handle.raw();
        r.ret[1] = caller.index;
        r.ret[2] = self.vcpu_count;
        r.ret[3] = self.ram.size;
        return r;
    }
    case Hypercall::yield:
        sched::yield_current();
        return result(Status::ok);
    case Hypercall::zone_exit:
        zone_end(self, ZoneState::exited, BH_EXIT_CALL, a.arg[0], "ZONE_EXIT");
        return result(Status::ok);
    case Hypercall::vcpu_on: {
        VcpuOnRequest req;
        if (Status s = decode_vcpu_on(a, req); s != Status::ok) return result(s);
        return result(vcpu_power_on(self, req.vcpu, req.entry, req.arg));
    }
    case Hypercall::zone_create:
        return zone_create(caller, a);
    case Hypercall::zone_load:
        return zone_load(caller, a);
    case Hypercall::zone_set_entry:
        return zone_set_entry(a);
    case Hypercall::zone_start:
        return with_zone(a, [](ZoneTable&, Zone& z) {
            Status s = zone_start(z);
            if (s == Status::ok) log("zone '%s' started", z.name);
            return result(s);
        });
    case Hypercall::zone_stop:
        return with_zone(a, [&](ZoneTable&, Zone& z) {
            if (&z == &self) return result(Status::invalid_argument);
            char why[64];
            format(why, sizeof why, "by '%s'", self.name);
            zone_end(z, ZoneState::stopped, BH_EXIT_STOPPED, 0, why);
            return result(Status::ok);
        });
    case Hypercall::zone_destroy:
        return with_zone(a, [&](ZoneTable& t, Zone& z) {
            if (&z == &self) return result(Status::invalid_argument);
            char name[sizeof z.name];
            __builtin_memcpy(name, z.name, sizeof name);
            Status s = t.destroy(z);
            if (s == Status::ok) log("zone '%s' destroyed by '%s'", name, self.name);
            return result(s);
        });
    case Hypercall::zone_status:
        return with_zone(a, [](ZoneTable&, Zone& z) {
            HypercallResult r;
            r.ret[0] = static_cast<u64>(__atomic_load_n(&z.state, __ATOMIC_ACQUIRE));
            r.ret[1] = z.exit_reason;
            r.ret[2] = z.exit_code;
            r.ret[3] = z.chunks[0].host.raw();
            return r;
        });
    case Hypercall::unknown:
        break;
    }
    return result(Status::not_supported);
}

} // namespace bh
