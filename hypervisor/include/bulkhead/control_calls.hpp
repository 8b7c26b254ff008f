// SPDX-License-Identifier: GPL-2.0-only
// The control plane's hypercalls (privileged zones): events about the
// zones a manager made or serves, forwarded I/O (ioreq.hpp), raising a
// served zone's lines and mapping its RAM into its server. A zone has at
// most one server (the first zone to serve one of its windows); only that
// server pulls its requests, raises its lines and maps its memory.
#pragma once

#include <bulkhead/hypercall_decode.hpp>
#include <bulkhead/vcpu.hpp>

namespace bh {

HypercallResult hc_event_next(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_ioreq_serve(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_ioreq_next(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_ioreq_complete(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_zone_irq(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_zone_map(Vcpu& caller, const HypercallArgs& a);
HypercallResult hc_zone_unmap(Vcpu& caller, const HypercallArgs& a);

// What destroying a zone owes the control plane: its RAM unmapped from its
// server (and that zone's TLBs flushed), its requests cancelled, its pins
// on its creator and server released. Called by zone_free.
void control_release(Zone& z);

} // namespace bh
