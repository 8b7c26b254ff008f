// SPDX-License-Identifier: GPL-2.0-only
// Child zone of the management test (x86): dirties its free memory up to
// its boot page tables with 0xA5, so that a zone later built on the same
// frames can tell whether the hypervisor scrubbed them.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/layout.hpp>
#include <guest/testing.hpp>
#include <guest/x86_zone.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    hc::ZoneSelf self = hc::zone_self();
    if (self.status != BH_OK) test::exit_zone(2);
    u64 start = free_memory_start();
    u64 end = usable_memory_end(self.memory_bytes);
    for (u64 a = start; a < end; a += 8) *reinterpret_cast<volatile u64*>(a) = 0xa5a5a5a5a5a5a5a5ull;
    print("pattern: filled [0x%llx, 0x%llx) with 0xA5\n", static_cast<unsigned long long>(start),
          static_cast<unsigned long long>(end));
    test::exit_zone(0);
}
