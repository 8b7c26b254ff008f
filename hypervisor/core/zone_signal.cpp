// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/zone.hpp>
#include <bulkhead/zone_signal.hpp>

#include <arch/zone_platform.hpp>

namespace bh {

void signal_server(Zone& z) {
    if (z.server) arch::raise_zone_interrupt(*z.server, arch::kZonePlatform.event_line);
}

void signal_creator(Zone& z) {
    if (!z.creator_zone) return; // a boot zone: nobody manages it
    z.end_unreported.store(true);
    arch::raise_zone_interrupt(*z.creator_zone, arch::kZonePlatform.event_line);
}

} // namespace bh
