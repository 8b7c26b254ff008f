// SPDX-License-Identifier: GPL-2.0-only
// The page tables an x86 zone starts with: vCPUs enter in 64-bit long mode
// with paging on, so something must map the zone's memory before its first
// instruction. The hypervisor writes an identity map of the guest-physical
// space into the last kBootTablesSize bytes of the zone's RAM (the zone's
// own memory: it may rebuild or reuse it once running).
#pragma once

#include <arch/x86_64_platform.hpp>

#include <bulkhead/abi/linux_boot.h>
#include <bulkhead/status.hpp>
#include <bulkhead/types.hpp>

namespace bh {
class Zone;
}

namespace bh::x86_64 {

inline constexpr u64 kBootTablesSize = 0x8000;
static_assert(kBootTablesSize == kZonePlatform.boot_area_bytes, "the platform's start-up area is these tables");
static_assert(kBootTablesSize == BH_X86_64_LINUX_BOOT_TABLES_BYTES, "control domains lay Linux zones out around them");

// Identity-maps [0, 512 GiB) with 1 GiB pages where the CPU has them
// (CPUID 0x80000001 EDX bit 26), else [0, 4 GiB) with 2 MiB pages; writable,
// supervisor, write-back. Sets z.arch.boot_tables to the PML4's address.
Status build_guest_identity_map(Zone& z);

} // namespace bh::x86_64
