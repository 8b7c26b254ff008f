// SPDX-License-Identifier: GPL-2.0-only
// Two zones (this image twice) share one physical CPU and yield to each
// other a few hundred times. Both must run to their verdicts: the machine
// may power off only once every zone created at boot has ended. The start
// line shows, when that fails, whether the missing zone ever ran.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    test::begin("shared-cpu");
    hc::ZoneSelf self = hc::zone_self();
    if (self.status != BH_OK) test::skip("needs the hypervisor");
    u32 yields = 400 + 100 * static_cast<u32>(self.handle & 0xffff); // slot 0 ends first
    print("started: %u yields to go\n", yields);
    for (u32 i = 0; i < yields; ++i) hc::yield();
    test::success();
}
