// SPDX-License-Identifier: GPL-2.0-only
// Per-zone arm64 state: VMID, virtual counter offset, the platform's devices;
// and cache maintenance for memory a zone may read with its caches off.
#include "passthrough.hpp"
#include "vgic.hpp"

#include <arch/sysreg.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/tag_allocator.hpp>
#include <bulkhead/zone.hpp>

namespace bh::arch {
namespace {

// 8-bit VMIDs; 0 is reserved for "no zone loaded" (VTTBR_EL2 between
// vCPUs) and never given to a zone.
TagAllocator<256> vmids;

u16 alloc_vmid() { return static_cast<u16>(vmids.alloc(256)); }
void free_vmid(u16 vmid) { vmids.free(vmid); }

} // namespace

namespace {

aarch64::VgicDistributorWindow distributor_window;
aarch64::VgicRedistributorWindow redistributor_window;

Status register_devices(Zone& z) {
    using namespace aarch64;
    DeviceRegistry& d = z.devices;
    z.arch.uart.attach(z, z.console);
    if (Status s = d.add(AddressSpace::mmio, kVgicdBase.raw(), kVgicdSize, distributor_window, "GIC distributor");
        s != Status::ok)
        return s;
    if (Status s = d.add(AddressSpace::mmio, kVgicrBase.raw(), kVgicrStride * z.vcpu_count, redistributor_window,
                         "GIC redistributors");
        s != Status::ok)
        return s;
    if (Status s = d.add(AddressSpace::mmio, Pl011::kBase.raw(), Pl011::kSize, z.arch.uart, "PL011"); s != Status::ok)
        return s;
    z.arch.rtc.attach(z);
    if (Status s = d.add(AddressSpace::mmio, Pl031::kBase.raw(), Pl031::kSize, z.arch.rtc, "PL031 RTC");
        s != Status::ok)
        return s;
    // The control domain has the host's virtio-mmio transports where other
    // zones have their emulated slots.
    if (z.control_domain) return passthrough_attach(z);
    return d.add(AddressSpace::mmio, VirtioMmioSlots::kBase.raw(), VirtioMmioSlots::kSize, z.arch.virtio,
                 "virtio-mmio slots");
}

} // namespace

Status zone_init(Zone& z) {
    Status s = register_devices(z);
    if (s == Status::ok) {
        z.arch.vmid = alloc_vmid();
        if (!z.arch.vmid) s = Status::no_memory;
    }
    if (s != Status::ok) {
        // zone_fini will not run: give back what passthrough_attach took.
        if (z.control_domain) aarch64::passthrough_detach(z);
        return s;
    }
    z.arch.cntvoff = now();
    aarch64::vgic_zone_init(z);
    return Status::ok;
}

u64 zone_arch_bytes(const Zone&) { return 0; } // everything lives in the Zone object

// Every translation tagged with the zone's VMID, on every CPU (inner
// shareable): VTTBR_EL2 names the VMID the TLBI acts on.
void flush_guest_tlb(Zone& z) {
    u64 saved = BH_READ_SYSREG(vttbr_el2);
    BH_WRITE_SYSREG(vttbr_el2, u64(z.arch.vmid) << 48);
    aarch64::isb();
    asm volatile("dsb ishst; tlbi vmalls12e1is; dsb ish" ::: "memory");
    BH_WRITE_SYSREG(vttbr_el2, saved);
    aarch64::isb();
}

void zone_fini(Zone& z) {
    // Forget every translation tagged with the zone's VMID before the VMID
    // and the frames go to someone else.
    flush_guest_tlb(z);
    if (z.control_domain) aarch64::passthrough_detach(z);
    free_vmid(z.arch.vmid);
    z.arch.vmid = 0;
}

void sync_guest_memory(HostPhys pa, u64 size) {
    u64 ctr = BH_READ_SYSREG(ctr_el0);
    u64 line = 4u << ((ctr >> 16) & 0xf);
    for (u64 a = align_down(pa.raw(), line); a < pa.raw() + size; a += line)
        asm volatile("dc civac, %0" ::"r"(a) : "memory");
    asm volatile("dsb ish; ic ialluis; dsb ish; isb" ::: "memory");
}

// DC ZVA zeroes a whole block (DCZID_EL0: 4 << BS bytes) per instruction:
// scrubbing a zone's RAM at creation is the larger part of ZONE_CREATE, and
// under emulation one instruction per block instead of one store per 8
// bytes is what makes it cheap. Page-aligned memory holds whole blocks.
void zero_guest_memory(HostPhys pa, u64 size) {
    const u64 dczid = BH_READ_SYSREG(dczid_el0);
    const u64 block = 4u << (dczid & 0xf);
    if (dczid >> 4 & 1 || block > kPageSize || (pa.raw() | size) % block) {
        __builtin_memset(phys_to_ptr<void>(pa), 0, size); // DC ZVA prohibited here
    } else {
        for (u64 a = pa.raw(); a < pa.raw() + size; a += block) asm volatile("dc zva, %0" ::"r"(a) : "memory");
    }
    sync_guest_memory(pa, size);
}

} // namespace bh::arch
