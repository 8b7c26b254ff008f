// SPDX-License-Identifier: GPL-2.0-only
#pragma once

#include <bulkhead/frame_allocator.hpp>

namespace bh::aarch64 {

// Builds the EL2 identity map of RAM and host devices (once, on the boot CPU).
bool mmu_build(FrameAllocator& frames);
// Turns the EL2 MMU and caches on with that map (every CPU).
void mmu_enable();

} // namespace bh::aarch64
