// SPDX-License-Identifier: GPL-2.0-only
// Interrupt dispatch on x86: vectors 32-255 call the handler registered for
// the vector, then end the interrupt at the local APIC (EOI).
#pragma once

#include <guest/types.hpp>

namespace bh::irq {

using Handler = void (*)(u32 vector);

// One table for all vCPUs (x86 vectors are not banked per CPU).
void set_handler(u32 vector, Handler h);
// Interrupts taken that had no handler, on the calling vCPU.
u64 unhandled_count();

// Called from the interrupt entry with the vector.
void dispatch(u32 vector);

} // namespace bh::irq
