// SPDX-License-Identifier: GPL-2.0-only
// The shape of a zone's guest-physical address space on one architecture:
// data each arch supplies (arch::kZonePlatform, from <arch/zone_platform.hpp>),
// so the generic core and the manifest check every arch rule in one place,
// before any zone is built.
#pragma once

#include <bulkhead/types.hpp>

namespace bh {

struct LinuxBoot;

struct ZonePlatform {
    static constexpr unsigned kMaxDeviceWindows = 2;

    const char* name = "";
    GuestPhys default_ram_base; // where RAM goes when nobody says
    GuestPhys linux_ram_base;   // ZONE_CREATE with BH_ZONE_CREATE_LINUX
    u64 ram_base_alignment = 0; // so stage 2 can use block mappings
    u64 guest_phys_limit = 0;   // RAM must end at or below this
    u64 max_memory = 0;         // per zone
    u64 entry_alignment = 0;    // of any vCPU's entry point
    // What the hypervisor writes at the top of a zone's RAM before it starts
    // (x86: the page tables vCPUs start with); images may not overlap it.
    u64 boot_area_bytes = 0;
    // The emulated devices' windows: zone RAM may not overlap any of them.
    Range<GuestPhys> device_windows[kMaxDeviceWindows] = {};
    unsigned device_window_count = 0;
    // Whether a Linux zone's kernel, initrd and boot data fit its RAM by the
    // architecture's boot protocol (and the kernel is one it boots); `why`
    // says what does not. Null: the architecture boots no Linux zones yet.
    bool (*linux_allowed)(const LinuxBoot& l, Range<GuestPhys> ram, char* why, usize why_size) = nullptr;
    // The interrupt line (raise_zone_interrupt's numbering) that tells a
    // managing zone to look at its events (BH_HC_EVENT_NEXT).
    u32 event_line = 0;
    // The zone's virtio-mmio slots (virtio_mmio_slots.hpp): slot 0's
    // registers, and the line slot 0 raises (slot i raises first + i).
    // The control domain's side of this is bulkhead/abi/zone_layout.h.
    GuestPhys virtio_base;
    u32 virtio_first_line = 0;

    // Whether RAM [base, base + size) fits these rules; if not, `why` (of
    // `why_size` bytes) says which, with the numbers it compared.
    bool ram_allowed(Range<GuestPhys> ram, char* why, usize why_size) const;
};

} // namespace bh
