// SPDX-License-Identifier: GPL-2.0-only
// The control domain's device tree: the host's, edited with libfdt, so its
// kernel finds the node's real devices where they are.
#pragma once

#include "zone_fdt.hpp"

namespace bh::aarch64 {

// Writes into buf the host DTB `host` cut down to what the control domain
// `z` has: its RAM, its vCPUs, its virtual GIC, the timer, PSCI over HVC,
// the console UART, the passed-through virtio-mmio transports, and a
// `bulkhead` node with the hypervisor's event interrupt; /chosen from the
// manifest. Returns the packed size, or 0 (after logging) on failure.
u64 build_control_domain_fdt(const Zone& z, const ZoneFdtInputs& in, const void* host, void* buf, u64 size);

} // namespace bh::aarch64
