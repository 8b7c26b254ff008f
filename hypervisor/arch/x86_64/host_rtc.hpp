// SPDX-License-Identifier: GPL-2.0-only
#pragma once

namespace bh::x86_64 {

// Sets bh::wall_clock from the host's CMOS RTC (ports 0x70/0x71), once, on
// the boot CPU after the TSC is calibrated; zones' RTCs show it from then
// on, carried on by the TSC. Without a readable RTC zones' clocks start at
// 1970 (logged).
void host_rtc_read();

} // namespace bh::x86_64
