// SPDX-License-Identifier: GPL-2.0-only
// Starting another vCPU of a running (or paused) zone: PSCI CPU_ON on arm64, STARTUP
// IPIs on x86 and BH_HC_VCPU_ON on both come here, so the checks are one.
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh {

Status vcpu_start_with(Zone& z, u32 index, VcpuResetFn reset, const void* how) {
    if (index >= z.vcpu_count) return Status::invalid_argument;
    Vcpu& t = z.vcpus[index];
    // Under the zone's lock, against zone_end: once a zone has ended none of
    // its vCPUs starts again, so destroying it cannot race a restart.
    Lock<Zone> zl(z);
    // A paused zone's sibling may still be finishing its last slice: the
    // vCPU it starts is queued and parked like the others.
    if (!z.is_live()) return Status::bad_state;
    {
        Lock<PerCpu> h(bh::cpu(t.home_cpu));
        if (t.state != VcpuState::off || t.on_cpu.load()) return Status::busy;
    }
    reset(t, how);
    sched::start(zl.held(), t);
    return Status::ok;
}

namespace {
struct EntryPoint {
    GuestPhys entry;
    u64 arg;
};
} // namespace

Status vcpu_power_on(Zone& z, u32 index, GuestPhys entry, u64 arg) {
    if (!z.ram.contains(entry, 4)) return Status::invalid_argument;
    EntryPoint e{entry, arg};
    return vcpu_start_with(
        z, index,
        [](Vcpu& v, const void* p) {
            auto* ep = static_cast<const EntryPoint*>(p);
            arch::vcpu_reset(v, ep->entry, ep->arg);
        },
        &e);
}

} // namespace bh
