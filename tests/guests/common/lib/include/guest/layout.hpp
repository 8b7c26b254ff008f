// SPDX-License-Identifier: GPL-2.0-only
// Where a test zone's image, stacks and free memory lie (see guest.ld).
#pragma once

#include <guest/types.hpp>

extern "C" {
extern char __image_start[]; // first byte of the image: the load address
extern char __image_end[];   // end of the bytes that the flat image holds
extern char __end[];         // end of BSS and stacks, 4 KiB aligned
}

namespace bh {

inline constexpr u64 kRamBase = 0x40000000; // every zone's RAM starts here

inline u64 image_start() { return reinterpret_cast<uptr>(__image_start); }
inline u64 image_end() { return reinterpret_cast<uptr>(__image_end); }
// First byte that neither the image, BSS nor any vCPU stack uses.
inline u64 free_memory_start() { return reinterpret_cast<uptr>(__end); }

} // namespace bh
