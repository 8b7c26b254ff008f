// SPDX-License-Identifier: GPL-2.0-only
// Per-zone x86-64 state: the ASID (SVM) or VPID (VMX) and the identity map vCPUs start with.
#include "backend.hpp"
#include "guest_paging.hpp"
#include "percpu.hpp"
#include "vcpu_interrupts.hpp"
#include "vcpu_reset.hpp"

#include <arch/acpi_sleep.hpp>
#include <arch/i8042.hpp>
#include <arch/legacy_ports.hpp>

#include <bulkhead/arch_interface.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/tag_allocator.hpp>
#include <bulkhead/zone.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh::arch {
namespace {

// ASID (SVM) or VPID (VMX) tags; 0 is the host's. Bounded by the CPU's
// count and by what the per-CPU flush tracking covers.
TagAllocator<x86_64::CpuLocal::kTrackedAsids> tags;

u32 alloc_asid() { return tags.alloc(x86_64::backend().tag_limit()); }
void free_asid(u32 asid) { tags.free(asid); }

// One page per vCPU for its VMCB or VMCS (frames come from the zone
// table's allocator: zone_init and zone_fini run under its lock).
void free_control_blocks(Zone& z) {
    for (u32 i = 0; i < z.vcpu_count; ++i) {
        u8*& cb = z.vcpus[i].ctx.control_block;
        if (cb) zones().frames().free(ptr_to_phys(cb), 1);
        cb = nullptr;
    }
}

Status alloc_control_blocks(Zone& z) {
    for (u32 i = 0; i < z.vcpu_count; ++i) {
        HostPhys pa;
        if (!zones().frames().alloc(1, 1, pa)) {
            free_control_blocks(z);
            return Status::no_memory;
        }
        z.vcpus[i].ctx.control_block = phys_to_ptr<u8>(pa);
        __builtin_memset(z.vcpus[i].ctx.control_block, 0, kPageSize);
    }
    return Status::ok;
}

x86_64::LapicPage lapic_page;
x86_64::IoApicPage ioapic_page;
x86_64::I8042 i8042_data{x86_64::I8042::kDataPort}, i8042_command{x86_64::I8042::kCommandPort};
x86_64::AcpiSleep acpi_sleep;

// Every slot's line and the event line are pins of the zone's I/O APIC.
static_assert(VirtioMmioSlots::kFirstLine + VirtioMmioSlots::kSlots <= x86_64::VirtualIoApic::kPins);
static_assert(x86_64::kZonePlatform.event_line < x86_64::VirtualIoApic::kPins);

Status register_devices(Zone& z) {
    using namespace x86_64;
    DeviceRegistry& d = z.devices;
    z.arch.uart.attach(z, z.console);
    if (Status s = d.add(AddressSpace::port, Uart16550::kBase, Uart16550::kPorts, z.arch.uart, "16550");
        s != Status::ok)
        return s;
    if (Status s = d.add(AddressSpace::mmio, kLapicMmioBase, kPageSize, lapic_page, "local APIC"); s != Status::ok)
        return s;
    if (Status s = d.add(AddressSpace::mmio, kIoApicMmioBase, kPageSize, ioapic_page, "I/O APIC"); s != Status::ok)
        return s;
    if (Status s = d.add(AddressSpace::port, CmosRtc::kBase, CmosRtc::kPorts, z.arch.rtc, "CMOS RTC"); s != Status::ok)
        return s;
    if (Status s = d.add(AddressSpace::port, I8042::kDataPort, 1, i8042_data, "i8042 data"); s != Status::ok) return s;
    if (Status s = d.add(AddressSpace::port, I8042::kCommandPort, 1, i8042_command, "i8042 command"); s != Status::ok)
        return s;
    if (Status s = d.add(AddressSpace::port, AcpiSleep::kControlPort, 2, acpi_sleep, "ACPI sleep"); s != Status::ok)
        return s;
    if (Status s = d.add(AddressSpace::mmio, VirtioMmioSlots::kBase.raw(), VirtioMmioSlots::kSize, z.arch.virtio,
                         "virtio-mmio slots");
        s != Status::ok)
        return s;
    return register_legacy_ports(d);
}

} // namespace

Status zone_init(Zone& z) {
    if (Status s = register_devices(z); s != Status::ok) return s;
    z.arch.asid = alloc_asid();
    if (!z.arch.asid) return Status::no_memory;
    z.arch.ioapic.reset();
    Status s = x86_64::build_guest_identity_map(z);
    if (s == Status::ok) s = alloc_control_blocks(z);
    if (s != Status::ok) {
        free_asid(z.arch.asid);
        return s;
    }
    return Status::ok;
}

u64 zone_arch_bytes(const Zone& z) { return u64(z.vcpu_count) * kPageSize; }

// A recycled ASID is flushed by the next vCPU that runs with it (its new
// tlb_tag differs from what every CPU remembers), so nothing to do here
// but give it back.
void zone_fini(Zone& z) {
    free_control_blocks(z);
    free_asid(z.arch.asid);
    z.arch.asid = 0;
}

// A new TLB tag for each of the zone's vCPUs makes the next entry of each
// flush the zone's ASID (VPID) and nested translations. A vCPU in guest
// mode now may still use the old ones: its CPU is kicked and we wait until
// it has left (its epoch moved on), so that when this returns no stale
// translation is in use and the frames behind them can be given away. The
// wait needs nothing from the other CPU but the exit the kick forces (its
// epoch is even whenever it is in the hypervisor), so two CPUs flushing
// each other's zones never wait for each other.
void flush_guest_tlb(Zone& z) {
    u64 in_guest[BH_ZONE_VCPUS_MAX] = {};
    for (u32 i = 0; i < z.vcpu_count; ++i) z.vcpus[i].ctx.tlb_tag.store(x86_64::new_tlb_tag(), MemoryOrder::seq_cst);
    for (u32 i = 0; i < z.vcpu_count; ++i) {
        Vcpu& v = z.vcpus[i];
        u64 e = v.ctx.guest_epoch.load(MemoryOrder::seq_cst);
        in_guest[i] = e;
        if (e & 1) kick_cpu(v.home_cpu);
    }
    for (u32 i = 0; i < z.vcpu_count; ++i)
        if (in_guest[i] & 1)
            while (z.vcpus[i].ctx.guest_epoch.load() == in_guest[i]) cpu_relax();
}

// x86 caches are coherent for every agent involved: nothing to clean.
void sync_guest_memory(HostPhys, u64) {}
void zero_guest_memory(HostPhys pa, u64 size) { __builtin_memset(phys_to_ptr<void>(pa), 0, size); }

// A device line is an I/O APIC pin (the console's is ISA IRQ 4).
void raise_zone_interrupt(Zone& z, u32 line) { x86_64::ioapic_raise(z, line); }

} // namespace bh::arch
