// SPDX-License-Identifier: GPL-2.0-only
// Accesses that are expected to abort. Each probe arms the calling vCPU's
// exception handler, makes exactly one access and reports whether it took
// a synchronous abort; the handler skips the faulting instruction (or, for
// an instruction fetch, returns to the caller) instead of crashing.
#pragma once

#include <guest/types.hpp>

namespace bh::probe {

inline constexpr u32 kEcDataAbortSameEl = 0x25;
inline constexpr u32 kEcInstAbortSameEl = 0x21;
inline constexpr u32 kFscSyncExternal = 0x10;

struct Result {
    bool aborted;
    u64 esr;   // ESR_EL1 of the abort, 0 if none
    u64 far;   // FAR_EL1 of the abort, 0 if none
    u64 value; // what a read returned (meaningless if it aborted)

    u32 ec() const { return static_cast<u32>(esr >> 26) & 0x3f; }
    u32 fsc() const { return static_cast<u32>(esr) & 0x3f; }
};

Result read32(u64 addr);
Result read64(u64 addr);
Result write32(u64 addr, u32 value);
Result write64(u64 addr, u64 value);
// Branches to addr; a fetch abort returns here. If addr does not abort, the
// code there runs, so only point it at memory that must not be executable.
Result exec(u64 addr);

} // namespace bh::probe
