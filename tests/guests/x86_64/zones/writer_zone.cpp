// SPDX-License-Identifier: GPL-2.0-only
// Under fault-policy "stop": writing another zone's frames (the victim sits
// at host 0x08000000) must end this zone on the spot.
#include <guest/console.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    test::begin("isolation-stop-writer");
    print("writing 0x08000000; this zone must be stopped\n");
    *reinterpret_cast<volatile u32*>(0x08000000ull) = 0x0badc0de;
    test::fail("the write went through and the zone kept running");
}
