// SPDX-License-Identifier: GPL-2.0-only
// Zone switch time: two zones (this image twice) share one physical CPU and
// take turns with BH_HC_YIELD. A yield that switches spans two switches
// (away and back) plus the other zone's loop, so half of it is one switch.
//
// The zones share no memory, so each tells a switching yield by its length:
// one that returns at once costs about a null hypercall, one that switches
// costs many. Each zone calibrates that on its own null hypercall, waits
// until its yields switch (the partner is running), then times yields,
// counting only those that switched. The zone in manifest slot 0 reports
// and exits; slot 1 keeps yielding until its yields stop switching, so every
// timed yield of slot 0 has a zone to switch to.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

namespace {

constexpr u32 kIterations = 500;
constexpr u32 kInARow = 5;       // consecutive switching yields that prove the partner runs
constexpr u32 kPartnerGone = 50; // consecutive non-switching yields that prove it left
constexpr u64 kFactor = 2;       // a switching yield (two switches) takes this many null hypercalls or more
constexpr u64 kWaitMs = 5000;

u64 timed_yield() {
    u64 t0 = timer::counter();
    hc::yield();
    return timer::counter() - t0;
}

// The cheapest of a few null hypercalls: what a yield costs that returns
// without switching.
u64 null_call_ticks() {
    u64 best = ~0ull;
    for (u32 i = 0; i < 50; ++i) {
        u64 t0 = timer::counter();
        hc::version();
        u64 dt = timer::counter() - t0;
        if (dt < best) best = dt;
    }
    return best ? best : 1;
}

// Yields until `want` yields in a row do (switching) or do not (!switching)
// switch; false if that takes longer than kWaitMs.
u64 longest_yield; // for the error message

bool yield_until(bool switching, u32 want, u64 threshold) {
    u64 give_up = timer::counter() + timer::ms_to_ticks(kWaitMs);
    for (u32 run = 0; run < want;) {
        if (timer::counter() >= give_up) return false;
        u64 dt = timed_yield();
        if (dt > longest_yield) longest_yield = dt;
        bool switched = dt > threshold;
        run = switched == switching ? run + 1 : 0;
    }
    return true;
}

[[noreturn]] void measure(u64 threshold) {
    u64 total = 0;
    u64 best = ~0ull;
    u32 switched = 0;
    for (u32 i = 0; i < kIterations; ++i) {
        u64 dt = timed_yield();
        if (dt <= threshold) continue;
        total += dt;
        if (dt < best) best = dt;
        ++switched;
    }
    print("%u of %u timed yields switched (threshold %llu ns)\n", switched, kIterations,
          static_cast<ull>(timer::ticks_to_ns(threshold)));
    if (switched == 0) test::error("no timed yield switched to the other zone");
    print("BULKHEAD-BENCH zone-switch %llu ns\n", static_cast<ull>(timer::ticks_to_ns(total) / switched / 2));
    print("BULKHEAD-BENCH zone-switch-min %llu ns\n", static_cast<ull>(timer::ticks_to_ns(best) / 2));
    test::success();
}

} // namespace

extern "C" void zone_main(u64) {
    hc::ZoneSelf self = hc::zone_self();
    bool reporter = (self.handle & 0xffff) == 0;
    test::begin(reporter ? "bench-switch-a" : "bench-switch-b");
    if (self.status != BH_OK) test::skip("needs the hypervisor");
    u64 threshold = kFactor * null_call_ticks();
    if (!yield_until(true, kInARow, threshold))
        test::error("yields did not switch for %llu ms (threshold %llu ticks, longest yield %llu): is the other "
                    "zone running on this CPU?",
                    static_cast<ull>(kWaitMs), static_cast<ull>(threshold), static_cast<ull>(longest_yield));
    if (reporter) measure(threshold);
    if (!yield_until(false, kPartnerGone, threshold)) test::error("the reporting zone never finished");
    test::success();
}
