// SPDX-License-Identifier: GPL-2.0-only
// The zone-management hypercalls (privileged zones only). Each decodes and
// validates first, then commits; an error leaves no trace. Long work
// (scrubbing a new zone's memory, copying an image in) is done in bounded
// steps outside the zone-table lock, with the hypercall restarted in
// between (HypercallResult::restart).
#pragma once

#include <bulkhead/hypercall_decode.hpp>
#include <bulkhead/vcpu.hpp>

namespace bh {

// Bytes of memory one step of ZONE_CREATE scrubs, and one step of
// ZONE_LOAD copies: a few milliseconds under emulation, well below a time
// slice.
inline constexpr u64 kManagementStepBytes = u64(4) << 20;

HypercallResult hc_zone_create(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_zone_load(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_zone_set_entry(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_zone_start(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_zone_stop(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_zone_pause(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_zone_resume(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_zone_destroy(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_zone_status(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_host_info(Vcpu& caller, const HypercallArgs& a);

inline HypercallResult hc_result(Status s) {
    HypercallResult r;
    r.status = s;
    return r;
}

} // namespace bh
