// SPDX-License-Identifier: GPL-2.0-only
// Events from the host for a zone's generic device models (accesses from
// the zone come through bulkhead/mmio.hpp and bulkhead/pio.hpp).
#pragma once

namespace bh {

class Zone;

// A character typed on the host console for this zone: into its console's
// receive FIFO, and the receive interrupt of whichever console register
// model the zone has (arch::kZoneDevices) when that model wants it.
void zone_devices_console_input(Zone& z, char c);

} // namespace bh
