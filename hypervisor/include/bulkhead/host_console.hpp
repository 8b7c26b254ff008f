// SPDX-License-Identifier: GPL-2.0-only
// The host console's output buffer. Lines from the hypervisor and from
// zones are copied into a ring under a short lock and written to the UART
// by whichever CPU finds it free, only as fast as the UART takes bytes
// without waiting. So no CPU ever waits for the UART while holding a lock
// others need, however much a zone prints (hole 5 of the attacker's
// review); the rest is written at the next exit or idle moment.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::host_console {

enum class Priority : u8 {
    hypervisor, // never dropped: if the ring is full, the writer waits for the UART
    zone,       // dropped when the ring is full (the caller counts it)
};

// Appends one whole line (prefix, text, and a newline unless text ends in
// one). False if it was dropped.
bool write_line(const char* prefix, const char* text, usize len, Priority p);
// Writes up to `max_bytes` of what the UART takes now without waiting;
// returns at once if another CPU is at it. The CPU that appends a line
// drains without limit (its own output is its own cost); the scheduler of
// every CPU drains a little (kSchedulerDrainBytes) so that output a slow
// UART left behind still goes out, but no CPU spends long writing another
// zone's output (under emulation every UART byte is an exit to the host).
inline constexpr u64 kSchedulerDrainBytes = 128;
void drain(u64 max_bytes = ~u64(0));
// Writes everything, waiting for the UART (panic, power-off).
void flush();
// Bytes waiting in the ring.
u64 pending();

} // namespace bh::host_console
