// SPDX-License-Identifier: GPL-2.0-only
#include <guest/hypercall.hpp>
#include <guest/timer.hpp>

namespace bh::timer {

u64 frequency() {
    static volatile u64 hz = 0;
    if (!hz) {
        u32 khz = hc::in_zone() ? cpuid(0x40000010).eax : 0;
        hz = khz ? u64(khz) * 1000 : 1000000000ull;
    }
    return hz;
}

} // namespace bh::timer
