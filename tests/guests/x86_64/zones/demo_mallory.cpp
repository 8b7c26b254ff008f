// SPDX-License-Identifier: GPL-2.0-only
// The misbehaving zone of the x86-64 `make demo`: it reads 0x200000, an
// address outside its own RAM ([0x40000000, 0x40200000)) where, on the host,
// the hypervisor's image sits (GRUB loads it there). In a zone nothing is
// mapped there, so the read never reaches the host's memory, and the
// manifest's fault-policy "stop" has the hypervisor end mallory at that
// instruction while the other zone carries on. It waits its boot-argument
// in milliseconds first (default 1000).
#include <guest/console.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64 delay_ms) {
    print("hi, I am mallory. My RAM is [0x40000000, 0x40200000); on the host, the hypervisor's image is at 0x200000\n");
    timer::delay_ms(delay_ms ? delay_ms : 1000);
    print("reading 0x200000, outside my own RAM...\n");
    u32 v = *reinterpret_cast<volatile u32*>(0x200000ull);
    print("read 0x%x there: isolation is broken\n", v);
    test::exit_zone(1);
}
