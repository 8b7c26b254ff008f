// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zone_table.hpp>
#include <bulkhead/zone_timer.hpp>

namespace bh {

void ZoneTimer::arm(u64 deadline) {
    deadline_.store(deadline);
    if (deadline) publish_zone_deadline(deadline);
}

void ZoneTimer::fire_if_due(u64 now) {
    u64 d = deadline_.load();
    if (!d || d > now || !expired_) return;
    if (!deadline_.compare_exchange(d, 0)) return; // re-armed meanwhile: the next check decides
    expired_(model_, now);
}

} // namespace bh
