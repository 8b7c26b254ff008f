// SPDX-License-Identifier: GPL-2.0-only
// Per-zone arm64 state: VMID, virtual counter offset, virtual distributor;
// and cache maintenance for memory a zone may read with its caches off.
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
    return d.add(AddressSpace::mmio, VirtioMmioSlots::kBase.raw(), VirtioMmioSlots::kSize, z.arch.virtio,
                 "virtio-mmio slots");
}

} // namespace

Status zone_init(Zone& z) {
    if (Status s = register_devices(z); s != Status::ok) return s;
    z.arch.vmid = alloc_vmid();
    if (!z.arch.vmid) return Status::no_memory;
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

} // namespace bh::arch
