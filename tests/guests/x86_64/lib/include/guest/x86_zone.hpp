// SPDX-License-Identifier: GPL-2.0-only
// How an x86-64 zone starts (docs/architecture.md): 64-bit mode, paging on
// with the hypervisor's identity map in the last kBootTablesSize bytes of
// RAM, RSP just below it, RDI = the start argument.
#pragma once

#include <guest/layout.hpp>

namespace bh {

inline constexpr u64 kBootTablesSize = 0x8000;

// End of the memory a test may fill or inspect: the boot page tables follow.
inline u64 usable_memory_end(u64 memory_bytes) { return kRamBase + memory_bytes - kBootTablesSize; }

} // namespace bh
