// SPDX-License-Identifier: GPL-2.0-only
// A per-vCPU hook for synchronous exceptions taken at EL1 (debug exceptions,
// Undefined Instruction, injected aborts) that a test wants to see, before
// the probes and the crash report get them.
#pragma once

#include <guest/types.hpp>

namespace bh::sync_hook {

inline constexpr u32 kEcUnknown = 0x00;
inline constexpr u32 kEcDataAbortSameEl = 0x25;
inline constexpr u32 kEcBreakpointSameEl = 0x31;
inline constexpr u32 kEcWatchpointSameEl = 0x35;

struct Event {
    u64 esr, far, spsr;
    u64 elr; // the hook may change it (skip an instruction: elr += 4)
    u32 ec() const { return static_cast<u32>(esr >> 26) & 0x3f; }
};

// Returns true if it handled the exception. Called with the PSTATE the
// exception entry produced (the vectors change none of PAN, UAO, DIT, SSBS,
// TCO), so a hook may read those.
using Hook = bool (*)(Event& e);
void set(Hook h); // for the calling vCPU; nullptr removes it

// Called by the exception dispatcher.
bool run(Event& e);

// A ready-made hook: skips an instruction that raised Undefined Instruction
// and counts it, so a test can try an access that may not exist.
bool skip_undefined(Event& e);
u32 undefined_count(); // on the calling vCPU
void reset_undefined_count();

} // namespace bh::sync_hook
