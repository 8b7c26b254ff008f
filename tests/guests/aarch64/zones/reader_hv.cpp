// SPDX-License-Identifier: GPL-2.0-only
// Under fault-policy "stop": reading the hypervisor's image must end this
// zone on the spot. Reaching any code after the read is a failure.
#include <guest/console.hpp>
#include <guest/mmio.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    test::begin("isolation-stop-reader");
    print("reading the hypervisor image at 0x40200000; this zone must be stopped\n");
    u32 v = mmio::read32(0x40200000);
    test::fail("the read returned 0x%x and the zone kept running", v);
}
