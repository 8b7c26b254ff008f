// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/pl031.hpp>
#include <bulkhead/wall_clock.hpp>
#include <bulkhead/zone.hpp>

namespace bh {
namespace {

enum : u64 {
    kDr = 0x000,
    kMr = 0x004,
    kLr = 0x008,
    kCr = 0x00c,
    kImsc = 0x010,
    kRis = 0x014,
    kMis = 0x018,
    kIcr = 0x01c,
    kPeriphId0 = 0xfe0,
};
// AMBA identification: PL031 r1p0 ("arm,primecell" probing reads these).
constexpr u8 kIds[8] = {0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

} // namespace

void Pl031::attach(Zone& zone) {
    zone_ = &zone;
    offset_ = 0;
    zone.device_timer.attach(*this);
}

u64 Pl031::seconds_ticks(u64 now) const { return wall_clock::epoch_ticks(now) + offset_; }

u32 Pl031::counter(u64 now) const { return static_cast<u32>(seconds_ticks(now) / arch::ticks_per_second()); }

// As QEMU's: a match value not after the counter matches at once; a later
// one when the counter gets there (the counter wraps at 2^32 seconds).
void Pl031::schedule_match(u64 now) {
    const auto ahead = static_cast<i32>(mr_ - counter(now));
    if (ahead <= 0) {
        zone_->device_timer.disarm();
        ris_ = true;
        return;
    }
    const u64 tps = arch::ticks_per_second();
    const u64 into_second = seconds_ticks(now) % tps;
    zone_->device_timer.arm(now + static_cast<u64>(ahead) * tps - into_second);
}

void Pl031::update_line() {
    if (ris_ && (imsc_ & 1)) arch::raise_zone_interrupt(*zone_, kInterruptLine);
}

void Pl031::timer_expired(u64 now) {
    LockGuard g(lock_);
    if (static_cast<i32>(mr_ - counter(now)) > 0) { // early (the counter moved): not yet
        schedule_match(now);
        return;
    }
    ris_ = true;
    update_line();
}

bool Pl031::access(Vcpu&, DeviceAccess& a) {
    LockGuard g(lock_);
    const u64 now = arch::now();
    if (!a.write) {
        switch (a.offset) {
        case kDr: a.value = counter(now); break;
        case kMr: a.value = mr_; break;
        case kLr: a.value = counter(now); break; // reads back the counter, as QEMU's
        case kCr: a.value = 1; break;            // always started
        case kImsc: a.value = imsc_; break;
        case kRis: a.value = ris_; break;
        case kMis: a.value = ris_ && (imsc_ & 1); break;
        default:
            a.value = a.offset >= kPeriphId0 && a.offset < kPeriphId0 + 0x20 ? kIds[(a.offset - kPeriphId0) / 4] : 0;
        }
        return true;
    }
    const auto v = static_cast<u32>(a.value);
    switch (a.offset) {
    case kMr:
        mr_ = v;
        schedule_match(now);
        update_line();
        break;
    case kLr: {
        // The zone's clock only: the host's wall clock stays as it is.
        const u64 tps = arch::ticks_per_second();
        offset_ = u64(v) * tps - wall_clock::epoch_ticks(now);
        schedule_match(now);
        update_line();
        break;
    }
    case kImsc:
        imsc_ = v & 1;
        update_line();
        break;
    case kIcr:
        if (v & 1) ris_ = false;
        break;
    default: break; // RTCDR, RTCCR, RIS, MIS, IDs: nothing to write
    }
    return true;
}

} // namespace bh
