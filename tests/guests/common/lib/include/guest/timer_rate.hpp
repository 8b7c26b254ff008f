// SPDX-License-Identifier: GPL-2.0-only
// The rate check both architectures' SMP tests make of their periodic
// timer (arm64: the virtual timer; x86: the local APIC timer).
#pragma once

#include <guest/types.hpp>

namespace bh::test {

// Runs the calling vCPU's periodic timer at `hz` for `ms` of counter time,
// waiting for interrupts, and checks the count: at most 10% over, at most
// a third under (periods a preempted emulator missed).
void check_timer_rate(u64 hz, u64 ms);

} // namespace bh::test
