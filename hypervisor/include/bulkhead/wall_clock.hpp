// SPDX-License-Identifier: GPL-2.0-only
// The host's wall clock (time since the Unix epoch, UTC), for zones' clocks:
// the arch reads the platform's real-time clock once at boot (arm64: the
// host DTB's PL031) and the counter carries it on from there, so nothing
// touches the RTC again. Unknown (a machine without an RTC), it runs from
// the epoch at boot, which is what zones' clocks showed before.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::wall_clock {

// The RTC read `seconds` at counter time `ticks`. Called once, at boot.
void set(u64 seconds, u64 ticks);
bool known();
// Counter ticks since the epoch at counter time `now` (arch::now()).
u64 epoch_ticks(u64 now);

} // namespace bh::wall_clock
