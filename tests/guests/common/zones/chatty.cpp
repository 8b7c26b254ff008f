// SPDX-License-Identifier: GPL-2.0-only
// Hole 5 of the attacker's review, the attacker's side: from 500 ms after
// its start, prints 150-character lines as fast as it can for 4 s and at
// least CHATTY_MIN_BYTES (arm64: well past a zone's console budget; x86's
// exits are too slow to reach it under emulation, so 0 there); then, after
// a quiet second, one last line that must get through again.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/timer.hpp>
#include <guest/zone.hpp>

using namespace bh;

extern "C" void zone_main(u64) {
    u64 start = timer::counter();
    // Busy (as during the flood) but through the hypervisor: a vCPU spinning
    // on the counter in guest mode starves the emulator's timer delivery to
    // the others on x86 QEMU, which is no property of Bulkhead's.
    while (timer::counter() < start + timer::ms_to_ticks(500)) hc::yield();
    char line[151];
    for (unsigned i = 0; i < 149; ++i) line[i] = static_cast<char>('a' + i % 26);
    line[149] = '\n';
    line[150] = '\0';
    u64 until = timer::counter() + timer::ms_to_ticks(4000), lines = 0;
    const u64 min_bytes = CHATTY_MIN_BYTES;
    while (timer::counter() < until || lines * 150 + 1 <= min_bytes) {
        print("%s", line);
        ++lines;
    }
    timer::delay_ms(1000);
    print("chatty: done after %llu lines\n", static_cast<unsigned long long>(lines));
    hc::zone_exit(0);
}
