// SPDX-License-Identifier: GPL-2.0-only
// A zone that hangs: it waits for an interrupt that never comes. Only its
// manifest watchdog can end it.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/testing.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    test::begin("hang");
    print("hang: waiting forever\n");
    for (;;) wfi();
}
