// SPDX-License-Identifier: GPL-2.0-only
// The fake arch's per-zone state. Stage 2 uses the arm64 format (pure bit
// definitions, host-compilable), so page tables are real.
#pragma once

#include <arch/vmsa_format.hpp>
#include <bulkhead/pl011.hpp>
#include <bulkhead/pl031.hpp>
#include <bulkhead/types.hpp>
#include <bulkhead/virtio_mmio_slots.hpp>

namespace bh::arch {

using Stage2Format = aarch64::Stage2Format;

// Like arm64's: a PL011 console, a PL031 RTC and the virtio-mmio slots, entered in the
// zone's device registry by zone_init.
struct ZoneContext {
    u16 vmid = 0;
    bool initialised = false; // between zone_init and zone_fini
    u64 tlb_flushes = 0;      // flush_guest_tlb calls
    // boot_loaded_linux: what a test can check it was given (no DT here).
    bool linux_booted = false;
    char linux_command[64] = {};
    char linux_bootargs[64] = {};
    // Its steps (the kernel "moved" as x86-64 moves it, a management step
    // at a time) and where the last one started.
    u32 linux_boot_steps = 0;
    u64 linux_boot_step_from = 0;
    Pl011 uart;
    Pl031 rtc;
    VirtioMmioSlots virtio;
};

} // namespace bh::arch
