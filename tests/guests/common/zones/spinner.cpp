// SPDX-License-Identifier: GPL-2.0-only
// Never gives up its CPU: 3 s of counter time in a tight loop with IRQs
// masked, no hypercall, no WFI. Another zone on the same physical CPU can
// only finish first if the hypervisor preempts this one.
#include <guest/console.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    test::begin("preemption-spinner");
    print("spinning for 3 s of counter time with IRQs masked\n");
    u64 end = timer::counter() + timer::ms_to_ticks(3000);
    while (timer::counter() < end) {}
    print("spinner done\n");
    test::success();
}
