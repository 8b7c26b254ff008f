// SPDX-License-Identifier: GPL-2.0-only
#include <arch/cmos_rtc.hpp>
#include <arch/cmos_time.hpp>
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/wall_clock.hpp>

namespace bh::x86_64 {
namespace {

using namespace cmos;

constexpr u8 kStatusAPowerOn = 0x26;
// The bits of B a zone may change: SET, the interrupt enables, square
// wave, daylight saving; the data mode and 24-hour bits stay as encode()
// writes the time.
constexpr u8 kStatusBWritable = static_cast<u8>(~(kStatusBBinary | kStatusB24Hour));

bool is_time_register(u8 reg) {
    return reg == kSeconds || reg == kMinutes || reg == kHours || (reg >= kWeekday && reg <= kYear) || reg == kCentury;
}

} // namespace

CmosRtc::CmosRtc() {
    ram_[kStatusA] = kStatusAPowerOn;
    ram_[kStatusB] = kStatusB24Hour;
}

u8 CmosRtc::read(u64 seconds) const {
    if (is_time_register(index_)) return encode(index_, civil::from_epoch(seconds));
    switch (index_) {
    case kStatusA: return ram_[kStatusA] & static_cast<u8>(~kStatusAUpdateInProgress); // never updating
    case kStatusB: return static_cast<u8>((ram_[kStatusB] & kStatusBWritable) | kStatusB24Hour);
    case kStatusC: return 0; // no interrupt ever flagged
    case kStatusD: return kStatusDValid;
    default: return ram_[index_];
    }
}

void CmosRtc::write(u8 value) {
    // The time is the host's, C and D are read-only.
    if (is_time_register(index_) || index_ == kStatusC || index_ == kStatusD) return;
    ram_[index_] = value;
}

bool CmosRtc::access(Vcpu&, DeviceAccess& a) {
    LockGuard g(lock_);
    const auto value = static_cast<u8>(a.value);
    if (a.offset == 0) {
        if (a.write)
            select(value);
        else
            a.value = 0xff; // the index port is write-only, as on a PC
        return true;
    }
    if (a.write) {
        write(value);
        return true;
    }
    a.value = read(wall_clock::epoch_ticks(arch::now()) / arch::ticks_per_second());
    return true;
}

} // namespace bh::x86_64
