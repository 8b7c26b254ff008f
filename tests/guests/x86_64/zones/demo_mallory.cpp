// SPDX-License-Identifier: GPL-2.0-only
// The misbehaving zone of the x86-64 `make demo`: it tries to read the
// hypervisor's memory (the image GRUB loaded at host 0x200000). Its manifest
// says fault-policy "stop", so the hypervisor ends it at that access.
#include <guest/console.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    test::begin("demo-mallory");
    print("hi, I am mallory. Let me peek at the hypervisor's memory at 0x200000...\n");
    timer::delay_ms(1000);
    u32 v = *reinterpret_cast<volatile u32*>(0x200000ull);
    test::fail("read 0x%x from the hypervisor: isolation is broken", v);
}
