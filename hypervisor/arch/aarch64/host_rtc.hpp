// SPDX-License-Identifier: GPL-2.0-only
#pragma once

namespace bh::aarch64 {

// Sets bh::wall_clock from the host's PL031, if the boot DTB has one. Needs
// the EL2 MMU (which maps the RTC) and the counter.
void host_rtc_read();

} // namespace bh::aarch64
