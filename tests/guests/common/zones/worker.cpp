// SPDX-License-Identifier: GPL-2.0-only
// Shares a physical CPU with the spinner. It yields first, so that the
// spinner surely holds the CPU; from then on it runs only when the
// hypervisor preempts the spinner. Also the image of the bad-manifest cases,
// where it must never start.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    test::begin("preemption-worker");
    hc::yield();
    hc::yield();
    for (u32 i = 1; i <= 5; ++i) print("worker line %u of 5\n", i);
    test::success();
}
