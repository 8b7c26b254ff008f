// SPDX-License-Identifier: GPL-2.0-only
// The host's wall clock, read once at boot from the PL031 the boot DTB
// names (QEMU virt has one at 0x09010000): zones' RTCs start from it.
#include "host_rtc.hpp"

#include "platform.hpp"

#include <arch/sysreg.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/wall_clock.hpp>

namespace bh::aarch64 {

void host_rtc_read() {
    const u64 rtc = platform().rtc;
    if (!rtc) {
        log("no PL031 RTC in the device tree: zones' clocks start at 1970");
        return;
    }
    constexpr u64 kRtcDr = 0x000;
    const u32 seconds = mmio_read<u32>(rtc + kRtcDr);
    wall_clock::set(seconds, arch::now());
    log("wall clock from the host RTC at %#llx: %u s since 1970", static_cast<unsigned long long>(rtc), seconds);
}

} // namespace bh::aarch64
