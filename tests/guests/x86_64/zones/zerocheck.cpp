// SPDX-License-Identifier: GPL-2.0-only
// Child zone of the management test (x86): every byte past its image and
// stack up to its boot page tables must read zero. Exit code 0 if so.
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
    for (u64 a = start; a < end; a += 8) {
        u64 v = *reinterpret_cast<volatile u64*>(a);
        if (v != 0) {
            print("zerocheck: 0x%llx holds 0x%llx: memory was not scrubbed\n", static_cast<unsigned long long>(a),
                  static_cast<unsigned long long>(v));
            test::exit_zone(1);
        }
    }
    print("zerocheck: [0x%llx, 0x%llx) is all zero\n", static_cast<unsigned long long>(start),
          static_cast<unsigned long long>(end));
    test::exit_zone(0);
}
