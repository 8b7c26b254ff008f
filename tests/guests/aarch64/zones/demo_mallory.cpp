// SPDX-License-Identifier: GPL-2.0-only
// The misbehaving zone of `make demo`: it tries to read the hypervisor's
// memory. Its manifest says fault-policy "stop", so the hypervisor ends it
// at that access, and the other zone carries on.
#include <guest/console.hpp>
#include <guest/mmio.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    test::begin("demo-mallory");
    print("hi, I am mallory. Let me peek at the hypervisor's memory at 0x40200000...\n");
    timer::delay_ms(1000);
    u32 v = mmio::read32(0x40200000);
    test::fail("read 0x%x from the hypervisor: isolation is broken", v);
}
