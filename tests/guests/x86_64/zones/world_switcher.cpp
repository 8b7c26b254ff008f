// SPDX-License-Identifier: GPL-2.0-only
// The fxrstor-race scenario (see fxrstor_storm.cpp): on CPU 0, leave the
// zone and come back (a hypercall is two world switches) as often as
// possible while a zone on CPU 1 restores its FPU state in a loop. Every
// call must come back with the right answer to the next instruction, in
// this zone's own address space; if the CPU's switch state is disturbed,
// the zone dies (a triple fault, or host state run as a zone) instead.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>

using namespace bh;

namespace {
constexpr u64 kRunMs = 8000;
} // namespace

extern "C" void zone_main(u64) {
    test::begin("fxrstor-race");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    u64 expected = hc::version().r1, calls = 0, wrong = 0;
    u64 end = timer::counter() + timer::ms_to_ticks(kRunMs);
    while (timer::counter() < end) {
        SmcccResult r = hc::version();
        wrong += r.status != BH_OK || r.r1 != expected;
        ++calls;
    }
    test::check(wrong == 0, "%llu of %llu calls answered wrongly", static_cast<unsigned long long>(wrong),
                static_cast<unsigned long long>(calls));
    print("%llu world switches and back\n", static_cast<unsigned long long>(calls));
    test::finish();
}
