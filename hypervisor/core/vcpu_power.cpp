// SPDX-License-Identifier: GPL-2.0-only
// Starting another vCPU of a running zone: PSCI CPU_ON on arm64 and
// BH_HC_VCPU_ON on both architectures come here, so the checks are one.
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/scheduler.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh {

Status vcpu_power_on(Zone& z, u32 index, GuestPhys entry, u64 arg) {
    if (index >= z.vcpu_count || !z.ram.contains(entry, 4)) return Status::invalid_argument;
    Vcpu& t = z.vcpus[index];
    LockGuard g(z.lock); // one start at a time per zone
    {
        LockGuard h(arch::cpu(t.home_cpu).lock);
        if (t.state != VcpuState::off || t.on_cpu) return Status::busy;
    }
    arch::vcpu_reset(t, entry, arg);
    sched::start(t);
    return Status::ok;
}

} // namespace bh
