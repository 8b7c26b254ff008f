// SPDX-License-Identifier: GPL-2.0-only
// Patterns a managing zone repeats: waiting for a child to end, and
// destroying a zone whose vCPUs may still be coming off physical CPUs.
#pragma once

#include <guest/hypercall.hpp>

namespace bh::admin {

// Polls ZONE_STATUS, yielding in between, until the zone is no longer
// CREATED or RUNNING or `timeout_ms` of counter time have passed. Returns
// the last status.
hc::ZoneStatus wait_until_ended(u64 handle, u64 timeout_ms);

// ZONE_DESTROY, retried after BH_HC_YIELD for as long as it says BUSY (up
// to `timeout_ms`). Returns the final status.
i64 destroy_retrying(u64 handle, u64 timeout_ms);

const char* state_name(u64 state);

} // namespace bh::admin
