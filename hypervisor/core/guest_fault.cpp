// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/guest_fault.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh {
void handle_guest_fault(Vcpu& v, const GuestFault& f) {
    Zone& z = *v.zone;
    const char* kind = f.instruction ? "instruction fetch" : (f.write ? "write" : "read");
    bool stop = z.fault_policy == FaultPolicy::stop;
    if (z.faults_logged.sample() || stop)
        zone_log(z, "zone '%s' vcpu %u: illegal %s at IPA %#llx (VA %#llx, PC %#llx) %s: %s", z.name, v.index, kind,
                 static_cast<unsigned long long>(f.ipa.raw()), static_cast<unsigned long long>(f.va),
                 static_cast<unsigned long long>(f.pc), f.what, stop ? "stopping the zone" : arch::kFaultInjectionName);
    if (stop) {
        char why[96];
        format(why, sizeof why, "illegal %s at IPA %#llx", kind, static_cast<unsigned long long>(f.ipa.raw()));
        zone_end(z, ZoneState::crashed, BH_EXIT_FAULT, f.ipa.raw(), why);
        return;
    }
    arch::vcpu_inject_external_abort(v, f.va, f.write, f.instruction);
}

} // namespace bh
