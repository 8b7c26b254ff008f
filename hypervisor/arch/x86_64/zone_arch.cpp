// SPDX-License-Identifier: GPL-2.0-only
// Per-zone x86-64 state: the ASID (SVM) or VPID (VMX) and the identity map vCPUs start with.
#include "backend.hpp"
#include "guest_paging.hpp"
#include "percpu.hpp"
#include "vcpu_interrupts.hpp"

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

Status register_devices(Zone& z) {
    using namespace x86_64;
    DeviceRegistry& d = z.devices;
    z.arch.uart.attach(z, z.console);
    if (Status s = d.add(AddressSpace::port, Uart16550::kBase, Uart16550::kPorts, z.arch.uart, "16550");
        s != Status::ok)
        return s;
    if (Status s = d.add(AddressSpace::mmio, kLapicMmioBase, kPageSize, lapic_page, "local APIC"); s != Status::ok)
        return s;
    return d.add(AddressSpace::mmio, kIoApicMmioBase, kPageSize, ioapic_page, "I/O APIC");
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

// x86 caches are coherent for every agent involved: nothing to clean.
void sync_guest_memory(HostPhys, u64) {}

// A device line is an I/O APIC pin (the console's is ISA IRQ 4).
void raise_zone_interrupt(Zone& z, u32 line) { x86_64::ioapic_raise(z, line); }

Status prepare_linux_zone(Zone& z, const LinuxBoot&) {
    log("zone '%s': Linux zones are not supported on x86-64 yet", z.name);
    return Status::not_supported;
}

} // namespace bh::arch
