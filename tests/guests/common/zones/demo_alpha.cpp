// SPDX-License-Identifier: GPL-2.0-only
// The well-behaved zone of `make demo`: says who it is, keeps working for a
// few seconds (long enough to outlive mallory) and exits cleanly. A demo,
// not a test: it prints no verdict, its exit code is what counts.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;
using ull = unsigned long long;

extern "C" void zone_main(u64) {
    hc::ZoneSelf self = hc::zone_self();
    print("hello, I am zone alpha: handle 0x%llx, vCPU %llu of %llu, %llu KiB of RAM at 0x40000000\n",
          static_cast<ull>(self.handle), static_cast<ull>(self.vcpu), static_cast<ull>(self.vcpus),
          static_cast<ull>(self.memory_bytes >> 10));
    print("my memory is mine alone: no other zone can read or write it\n");
    constexpr u32 kSteps = 6;
    u64 start = timer::counter();
    for (u32 i = 1; i <= kSteps; ++i) {
        timer::delay_ms(400);
        print("still working (%u/%u), %llu ms in\n", i, kSteps,
              static_cast<ull>(timer::ticks_to_ns(timer::counter() - start) / 1000000));
    }
    print("done; exiting with code 0\n");
    test::exit_zone(0);
}
