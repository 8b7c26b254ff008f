// SPDX-License-Identifier: GPL-2.0-only
// A zone's local APICs at work: the register interfaces (x2APIC MSRs,
// IA32_APIC_BASE, IA32_TSC_DEADLINE, the xAPIC page), IPIs between the
// zone's vCPUs, and the timer. The back ends only decide when an interrupt
// can be injected (interrupt flag, shadows, pending events).
#pragma once

#include <arch/vlapic.hpp>
#include <bulkhead/device_registry.hpp>
#include <bulkhead/types.hpp>

namespace bh {
class Zone;
struct Vcpu;
} // namespace bh

namespace bh::x86_64 {

bool is_lapic_msr(u32 msr);
// An intercepted RDMSR/WRMSR of a local-APIC MSR. False: #GP.
bool lapic_msr(Vcpu& v, u32 msr, bool write, u64 value, u64& result);
// The xAPIC page, a device model of the zone's registry: each vCPU reaches
// its own local APIC there, while that interface is on (claims). Reads of
// 1, 2 or 4 bytes within a register's 32 bits; writes of whole aligned
// registers (others dropped).
struct LapicPage {
    bool claims(const Vcpu& v, u64 offset) const;
    bool access(Vcpu& v, DeviceAccess& a);
};
// Delivers a fixed or lowest-priority interrupt to the matching vCPUs of
// zone `z` (others are logged and dropped). `from`: the sending vCPU, or
// null for the I/O APIC; `source` and `number` name the sender in the log.
void deliver_interrupt(Zone& z, Vcpu* from, const IpiRequest& ipi, const char* source, u32 number);

// The zone's I/O APIC page (a device model of its registry) and its lines
// (device interrupts): zone_ioapic.cpp.
struct IoApicPage {
    bool access(Vcpu& v, DeviceAccess& a);
};
void ioapic_raise(Zone& z, u32 pin);
// Before each entry: fires the vCPU's timer if due and arms the hypervisor
// timer for its next deadline.
void lapic_before_entry(Vcpu& v);

} // namespace bh::x86_64
