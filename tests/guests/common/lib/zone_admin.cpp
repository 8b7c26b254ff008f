// SPDX-License-Identifier: GPL-2.0-only
#include <guest/timer.hpp>
#include <guest/zone_admin.hpp>

namespace bh::admin {

hc::ZoneStatus wait_until_ended(u64 handle, u64 timeout_ms) {
    u64 give_up = timer::counter() + timer::ms_to_ticks(timeout_ms);
    for (;;) {
        hc::ZoneStatus s = hc::zone_status(handle);
        bool live = s.status == BH_OK && (s.state == BH_ZONE_CREATED || s.state == BH_ZONE_RUNNING);
        if (!live || timer::counter() >= give_up) return s;
        hc::yield();
    }
}

i64 destroy_retrying(u64 handle, u64 timeout_ms) {
    u64 give_up = timer::counter() + timer::ms_to_ticks(timeout_ms);
    for (;;) {
        i64 rc = hc::zone_destroy(handle);
        if (rc != BH_ERR_BUSY || timer::counter() >= give_up) return rc;
        hc::yield();
    }
}

const char* state_name(u64 state) {
    switch (state) {
    case BH_ZONE_CREATED: return "created";
    case BH_ZONE_RUNNING: return "running";
    case BH_ZONE_EXITED: return "exited";
    case BH_ZONE_CRASHED: return "crashed";
    case BH_ZONE_STOPPED: return "stopped";
    }
    return "unknown";
}

} // namespace bh::admin
