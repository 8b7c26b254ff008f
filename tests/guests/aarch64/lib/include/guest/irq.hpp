// SPDX-License-Identifier: GPL-2.0-only
// IRQ dispatch: the exception vector acknowledges each pending interrupt and
// calls the handler registered for its INTID on the calling vCPU.
#pragma once

#include <guest/types.hpp>

namespace bh::irq {

inline constexpr u32 kMaxIntid = 96; // SGIs, PPIs and the zone's 64 SPIs

using Handler = void (*)(u32 intid);

// Handlers are per vCPU: SGIs and PPIs are banked per vCPU too.
void set_handler(u32 intid, Handler h);
// Interrupts taken that had no handler, on the calling vCPU.
u64 unhandled_count();

// Called from the IRQ vector.
void dispatch();

} // namespace bh::irq
