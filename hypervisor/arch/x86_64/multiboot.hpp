// SPDX-License-Identifier: GPL-2.0-only
// What the Multiboot2 boot information (from GRUB, BIOS or UEFI) tells us.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::x86_64 {

struct BootInfo {
    static constexpr unsigned kMaxMemory = 32;
    Range<HostPhys> memory[kMaxMemory]; // usable RAM, sorted, merged
    unsigned memory_count = 0;
    bool memory_from_efi = false;   // the EFI memory map tag, not the e820-style one
    Range<HostPhys> mbi;            // the boot information itself
    const void* manifest = nullptr; // the module whose command line is "manifest" (or the first)
    u64 manifest_size = 0;
    const void* rsdp = nullptr; // copy of the ACPI RSDP inside the boot information
    char loader[48] = {};
    char cmdline[64] = {}; // the kernel's command line (GRUB: after the image on the multiboot2 line)
};

// Parses the boot information at `mbi`; false (after logging) if unusable.
bool multiboot_parse(u64 mbi, BootInfo& out);

// Whether the space-separated command line holds `word`. The only words
// are debug switches for tests (boot.cpp); production boots pass none.
bool cmdline_has(const char* cmdline, const char* word);

} // namespace bh::x86_64
