// SPDX-License-Identifier: GPL-2.0-only
// PSCI 1.1 for zones: every call acts on the calling zone, never the machine.
#include "vpsci.hpp"

#include "psci_host.hpp"

#include <arch/sysreg.hpp>
#include <bulkhead/log.hpp>

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh::aarch64 {
namespace {

Vcpu* vcpu_by_mpidr(Zone& z, u64 mpidr) {
    if (mpidr & ~u64(0xff)) return nullptr; // zones have Aff0 only
    return mpidr < z.vcpu_count ? &z.vcpus[mpidr] : nullptr;
}

VcpuState state_of(const Vcpu& v) {
    LockGuard g(bh::cpu(v.home_cpu).lock);
    return v.state;
}

i64 cpu_on(Vcpu& caller, u64 mpidr, u64 entry, u64 context) {
    if (mpidr & ~u64(0xff) || (entry & 3)) return kPsciInvalidParameters; // zones have Aff0 only
    switch (vcpu_power_on(*caller.zone, static_cast<u32>(mpidr), GuestPhys(entry), context)) {
    case Status::ok: return kPsciSuccess;
    case Status::busy: return kPsciAlreadyOn;
    default: return kPsciInvalidParameters;
    }
}

void cpu_off(Vcpu& v) {
    sched::stop_current();
    Zone& z = *v.zone;
    for (u32 i = 0; i < z.vcpu_count; ++i)
        if (state_of(z.vcpus[i]) != VcpuState::off) return;
    zone_end(z, ZoneState::exited, BH_EXIT_VCPUS_OFF, 0, "every vCPU called PSCI CPU_OFF");
}

bool supported(u64 fn) {
    switch (fn) {
    case kPsciVersion:
    case kPsciCpuSuspend64:
    case kPsciCpuOff:
    case kPsciCpuOn64:
    case kPsciCpuOn32:
    case kPsciAffinityInfo64:
    case kPsciAffinityInfo32:
    case kPsciMigrateInfoType:
    case kPsciSystemOff:
    case kPsciSystemReset:
    case kPsciFeatures:
    case kSmcccVersion: return true;
    default: return false;
    }
}

} // namespace

bool is_psci_call(u64 fn) {
    u64 f = fn & 0xffffffff;
    return (f & 0xbfffffe0) == 0x84000000 || (f & 0xffff0000) == 0x80000000;
}

i64 handle_psci(Vcpu& v, u64 fn, u64 a1, u64 a2, u64 a3) {
    Zone& z = *v.zone;
    switch (fn & 0xffffffff) {
    case kPsciVersion: return 0x10001;  // 1.1
    case kSmcccVersion: return 0x10001; // 1.1
    case kPsciFeatures: return supported(a1 & 0xffffffff) ? kPsciSuccess : kPsciNotSupported;
    case kPsciCpuSuspend64:
        sched::block_current(); // standby: resume on the next interrupt
        return kPsciSuccess;
    case kPsciCpuOff: cpu_off(v); return kPsciDenied; // only seen if the zone was already ending
    case kPsciCpuOn64:
    case kPsciCpuOn32: return cpu_on(v, a1, a2, a3);
    case kPsciAffinityInfo64:
    case kPsciAffinityInfo32: {
        if (a2 != 0) return kPsciInvalidParameters;
        Vcpu* t = vcpu_by_mpidr(z, a1);
        if (!t) return kPsciInvalidParameters;
        return state_of(*t) == VcpuState::off ? 1 : 0;
    }
    case kPsciMigrateInfoType: return 2; // no trusted OS to migrate
    case kPsciSystemOff:
        // No status: zone init reports the workload's with ZONE_EXIT, and
        // console text (which any process in the zone can write) never counts.
        zone_end(z, ZoneState::exited, BH_EXIT_PSCI_OFF, 0, "PSCI SYSTEM_OFF");
        return kPsciSuccess;
    case kPsciSystemReset: {
        // Zone kernels boot with panic=-1: a reset is how a panic shows. The
        // zone's last exception helps whoever reads the log.
        char why[160];
        format(why, sizeof why,
               "PSCI SYSTEM_RESET (kernel panic or reboot) from vCPU %u; last EL1 exception: ESR %#llx ELR %#llx FAR "
               "%#llx",
               v.index, static_cast<unsigned long long>(BH_READ_SYSREG(esr_el1)),
               static_cast<unsigned long long>(BH_READ_SYSREG(elr_el1)),
               static_cast<unsigned long long>(BH_READ_SYSREG(far_el1)));
        zone_end(z, ZoneState::crashed, BH_EXIT_PSCI_RESET, 0, why);
        return kPsciSuccess;
    }
    default: (void)a3; return kPsciNotSupported;
    }
}

} // namespace bh::aarch64
