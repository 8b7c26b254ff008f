// SPDX-License-Identifier: GPL-2.0-only
// Hypercall dispatch. Every handler decodes and validates first, then
// commits; an error leaves no trace. Management calls are in
// zone_management.cpp.
#include <bulkhead/control_calls.hpp>
#include <bulkhead/hypercall.hpp>
#include <bulkhead/linux_boot_call.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_management.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh {

HypercallResult handle_hypercall(Vcpu& caller, const HypercallArgs& a) {
    Hypercall h = classify_hypercall(a.fn);
    if (h == Hypercall::unknown) return hc_result(Status::not_supported);
    Zone& self = *caller.zone;
    if (is_management_call(h) && !self.privileged) return hc_result(Status::permission_denied);

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
    case Hypercall::yield: sched::yield_current(); return hc_result(Status::ok);
    case Hypercall::zone_exit: {
        ZoneExitRequest req;
        if (Status s = decode_zone_exit(a, req); s != Status::ok) return hc_result(s);
        zone_end(self, ZoneState::exited, req.reason, req.code, zone_exit_reason_text(req.reason));
        return hc_result(Status::ok);
    }
    case Hypercall::vcpu_on: {
        VcpuOnRequest req;
        if (Status s = decode_vcpu_on(a, req); s != Status::ok) return hc_result(s);
        return hc_result(vcpu_power_on(self, req.vcpu, req.entry, req.arg));
    }
    case Hypercall::zone_create: return hc_zone_create(caller, a);
    case Hypercall::zone_load: return hc_zone_load(caller, a);
    case Hypercall::zone_set_entry: return hc_zone_set_entry(caller, a);
    case Hypercall::zone_start: return hc_zone_start(caller, a);
    case Hypercall::zone_stop: return hc_zone_stop(caller, a);
    case Hypercall::zone_destroy: return hc_zone_destroy(caller, a);
    case Hypercall::zone_status: return hc_zone_status(caller, a);
    case Hypercall::host_info: return hc_host_info(caller, a);
    case Hypercall::event_next: return hc_event_next(caller, a);
    case Hypercall::ioreq_serve: return hc_ioreq_serve(caller, a);
    case Hypercall::ioreq_next: return hc_ioreq_next(caller, a);
    case Hypercall::ioreq_complete: return hc_ioreq_complete(caller, a);
    case Hypercall::zone_irq: return hc_zone_irq(caller, a);
    case Hypercall::zone_map: return hc_zone_map(caller, a);
    case Hypercall::zone_unmap: return hc_zone_unmap(caller, a);
    case Hypercall::zone_pause: return hc_zone_pause(caller, a);
    case Hypercall::zone_resume: return hc_zone_resume(caller, a);
    case Hypercall::zone_boot_linux: return hc_zone_boot_linux(caller, a);
    case Hypercall::unknown: break;
    }
    return hc_result(Status::not_supported);
}

} // namespace bh
