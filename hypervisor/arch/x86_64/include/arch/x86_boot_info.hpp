// SPDX-License-Identifier: GPL-2.0-only
// What an x86 Linux zone's kernel is told at entry, written into buffers
// the caller copies into the zone: the command line (with the workload for
// zone init, which has no device tree to read on x86), the memory map, and
// either the PVH hvm_start_info (Xen's public layout) or the boot
// protocol's zero page. Pure code, also compiled into the host unit tests.
#pragma once

#include <arch/x86_linux_image.hpp>

#include <bulkhead/manifest.hpp>

namespace bh::x86_64 {

struct X86MemoryRange {
    u64 base, size;
    u32 type; // E820 / XEN_HVM_MEMMAP_TYPE_*: 1 RAM, 2 reserved
};
inline constexpr u32 kMemRam = 1, kMemReserved = 2;
inline constexpr u32 kMaxMemoryRanges = 4;

// The zone's memory map: RAM below 640 KiB, the legacy area with the ACPI
// tables reserved, RAM from 1 MiB to the boot tables, and those reserved.
u32 x86_memory_map(const X86LinuxLayout& at, Range<GuestPhys> ram, X86MemoryRange (&out)[kMaxMemoryRanges]);

// The kernel command line: bootargs, the TSC's rate (tsc_early_khz: Linux
// 6.1 reads CPUID 0x15/0x16 only on Intel CPUs and has no other way to
// learn it from a hypervisor that is not KVM, Xen, Hyper-V or VMware),
// then the workload in zone init's words (zone-kernel/README.md):
// bulkhead.zone-name=, bulkhead.stdin=, bulkhead.cwd="...",
// bulkhead.env="K=V" ..., then "--" and the command and its arguments, each
// double-quoted. Returns the length without the NUL; 0 with `why` if it
// does not fit in `size` (the kernel's limit) or a string cannot be quoted
// for both Linux and zone init.
usize x86_linux_cmdline(const LinuxBoot& l, const char* zone_name, u64 tsc_khz, char* out, usize size, char* why,
                        usize why_size);

// The PVH start block: hvm_start_info at kBootInfo, then at kBootLists the
// module list (the initrd, if any) and the memory map. Writes both pages
// (each kPageSize bytes, zeroed first).
void x86_pvh_start_info(const X86LinuxLayout& at, Range<GuestPhys> ram, u64 initrd_size, GuestPhys rsdp, u8* info_page,
                        u8* lists_page);

// The zero page (bz::kZeroPageBytes) for a bzImage: the setup header as
// parsed from the image (X86Kernel::setup_header), the loader's fields,
// the memory map and the RSDP.
void x86_zero_page(const X86LinuxLayout& at, Range<GuestPhys> ram, u64 initrd_size, GuestPhys rsdp, u8* zero_page);

} // namespace bh::x86_64
