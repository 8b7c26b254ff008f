// SPDX-License-Identifier: GPL-2.0-only
// The misbehaving zone of `make demo`: it reads 0x40200000, the first
// address past its own RAM ([0x40000000, 0x40200000)), which on the host is
// where the hypervisor's image sits. In a zone that address is just outside
// its memory: stage 2 maps nothing there, so the read never reaches the
// host's memory, and the manifest's fault-policy "stop" has the hypervisor
// end mallory at that instruction while the other zones carry on. It waits
// its boot-argument in milliseconds first (default 1000), so that the others
// are at work when it strikes.
#include <guest/console.hpp>
#include <guest/mmio.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64 delay_ms) {
    print("hi, I am mallory. My RAM ends at 0x40200000; on the host, the hypervisor's image starts there\n");
    timer::delay_ms(delay_ms ? delay_ms : 1000);
    print("reading 0x40200000, outside my own RAM...\n");
    u32 v = mmio::read32(0x40200000);
    print("read 0x%x there: isolation is broken\n", v);
    test::exit_zone(1);
}
