// SPDX-License-Identifier: GPL-2.0-only
// Child zone of the management test: dirties all of its free memory with
// 0xA5 so that a zone later built on the same frames can tell whether the
// hypervisor scrubbed them. Reports only through its exit code.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/layout.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    hc::ZoneSelf self = hc::zone_self();
    if (self.status != BH_OK) test::exit_zone(2);
    u64 start = free_memory_start();
    u64 end = kRamBase + self.memory_bytes;
    for (u64 a = start; a < end; a += 8) *reinterpret_cast<volatile u64*>(a) = 0xa5a5a5a5a5a5a5a5ull;
    dsb();
    print("pattern: filled [0x%llx, 0x%llx) with 0xA5\n", static_cast<unsigned long long>(start),
          static_cast<unsigned long long>(end));
    test::exit_zone(0);
}
