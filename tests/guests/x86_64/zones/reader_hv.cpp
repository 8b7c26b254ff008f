// SPDX-License-Identifier: GPL-2.0-only
// Under fault-policy "stop": reading the hypervisor's image (host 0x200000)
// must end this zone on the spot. Reaching any code after the read fails.
#include <guest/console.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    test::begin("isolation-stop-reader");
    print("reading the hypervisor image at 0x200000; this zone must be stopped\n");
    u32 v = *reinterpret_cast<volatile u32*>(0x200000ull);
    test::fail("the read returned 0x%x and the zone kept running", v);
}
