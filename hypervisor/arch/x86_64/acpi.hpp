// SPDX-License-Identifier: GPL-2.0-only
// What ACPI's MADT says about the CPUs and interrupt controllers.
#pragma once

#include <arch/cpu.hpp>
#include <bulkhead/limits.hpp>
#include <bulkhead/types.hpp>

namespace bh::x86_64 {

struct Madt {
    static constexpr unsigned kMaxIoApics = 4;
    u64 lapic_base = 0xfee00000;
    u32 apic_ids[kMaxCpus] = {}; // enabled CPUs, in MADT order
    unsigned cpu_count = 0;
    unsigned cpus_ignored = 0; // beyond kMaxCpus
    u64 ioapic_base[kMaxIoApics] = {};
    u32 ioapic_gsi_base[kMaxIoApics] = {};
    unsigned ioapic_count = 0;
    // ISA IRQ n arrives at global system interrupt isa_gsi[n], with the
    // MPS INTI flags isa_flags[n] (0: the bus's default, edge and active
    // high for ISA), as the interrupt source overrides say.
    u32 isa_gsi[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    u16 isa_flags[16] = {};
};

// Finds the RSDP (the copy GRUB passed, else the BIOS areas) and reads the
// MADT. Runs under the boot identity map of the first 4 GiB, where the ACPI
// tables are. False (after logging) without a usable MADT.
bool acpi_read_madt(const void* rsdp_hint, Madt& out);

} // namespace bh::x86_64
