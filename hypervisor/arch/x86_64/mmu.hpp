// SPDX-License-Identifier: GPL-2.0-only
// The hypervisor's own address space: an identity map of RAM, the first
// MiB (AP trampoline, BIOS data) and the interrupt controllers it drives.
#pragma once

#include <bulkhead/frame_allocator.hpp>
#include <bulkhead/types.hpp>

namespace bh::x86_64 {

struct BootInfo;

// Builds the map with frames from `frames` (which must already hold some
// RAM below 4 GiB: the APs' trampoline loads the root with a 32-bit move).
bool mmu_build(FrameAllocator& frames, const BootInfo& boot, const u64* devices, unsigned device_count);
// Switches this CPU to it.
void mmu_enable();
HostPhys mmu_root();

} // namespace bh::x86_64
