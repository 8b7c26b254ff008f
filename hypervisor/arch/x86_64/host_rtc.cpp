// SPDX-License-Identifier: GPL-2.0-only
// The host's wall clock from its MC146818-compatible CMOS RTC, read once
// at boot: nothing else in the hypervisor touches the RTC, and zones reach
// only their own model of one (cmos_rtc.hpp).
#include "host_rtc.hpp"

#include "timer.hpp"

#include <arch/cmos_time.hpp>
#include <arch/x86.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/wall_clock.hpp>

namespace bh::x86_64 {
namespace {

constexpr u16 kIndexPort = 0x70, kDataPort = 0x71;

u8 cmos_read(u8 reg) {
    x86::outb(kIndexPort, reg); // bit 7 clear: NMIs stay enabled
    return x86::inb(kDataPort);
}

bool update_in_progress() { return cmos_read(cmos::kStatusA) & cmos::kStatusAUpdateInProgress; }

cmos::Reading read_once() {
    cmos::Reading r{};
    r.second = cmos_read(cmos::kSeconds);
    r.minute = cmos_read(cmos::kMinutes);
    r.hour = cmos_read(cmos::kHours);
    r.day = cmos_read(cmos::kDay);
    r.month = cmos_read(cmos::kMonth);
    r.year = cmos_read(cmos::kYear);
    r.status_b = cmos_read(cmos::kStatusB);
    return r;
}

bool same(const cmos::Reading& a, const cmos::Reading& b) { return __builtin_memcmp(&a, &b, sizeof a) == 0; }

// A reading taken outside an update (the registers change for up to 2 ms
// once a second while UIP is set, which rises 244 us before), and the same
// twice in a row, so no field was caught mid-carry. An update comes once a
// second, so a few tries suffice; a missing RTC (all ones) shows UIP
// forever and gives up after the bound.
bool read_stable(cmos::Reading& out) {
    for (unsigned tries = 0; tries < 20; ++tries) {
        for (unsigned wait = 0; wait < 1000 && update_in_progress(); ++wait) udelay(10);
        if (update_in_progress()) return false;
        cmos::Reading a = read_once();
        if (update_in_progress()) continue;
        cmos::Reading b = read_once();
        if (same(a, b)) {
            out = a;
            return true;
        }
    }
    return false;
}

} // namespace

void host_rtc_read() {
    cmos::Reading r{};
    civil::DateTime t;
    if (!read_stable(r) || !cmos::decode(r, t)) {
        log("no readable CMOS RTC: zones' clocks start at 1970");
        return;
    }
    const u64 seconds = civil::to_epoch(t);
    wall_clock::set(seconds, arch::now());
    log("wall clock from the host's CMOS RTC: %04u-%02u-%02u %02u:%02u:%02u UTC (%llu s since 1970)", t.year, t.month,
        t.day, t.hour, t.minute, t.second, static_cast<unsigned long long>(seconds));
}

} // namespace bh::x86_64
