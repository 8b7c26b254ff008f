// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/atomic.hpp>
#include <bulkhead/wall_clock.hpp>

namespace bh::wall_clock {
namespace {
// Counter ticks since the epoch at counter time 0; written once at boot,
// before any zone exists. Unknown, the clock starts at the epoch.
Atomic<u64> epoch_at_zero{0};
Atomic<bool> is_known{false};
} // namespace

void set(u64 seconds, u64 ticks) {
    // An RTC counts whole seconds: the reading is on average half a second
    // behind, which Linux's hctosys makes up for the same way.
    u64 tps = arch::ticks_per_second();
    epoch_at_zero.store(seconds * tps + tps / 2 - ticks);
    is_known.store(true);
}

bool known() { return is_known.load(); }

u64 epoch_ticks(u64 now) { return epoch_at_zero.load() + now; }

} // namespace bh::wall_clock
