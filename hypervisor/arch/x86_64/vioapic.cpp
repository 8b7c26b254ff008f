// SPDX-License-Identifier: GPL-2.0-only
#include <arch/vioapic.hpp>

namespace bh::x86_64 {
namespace {

// Indirect registers (82093AA datasheet 3.2).
enum : u32 { kIoApicId = 0x00, kIoApicVersion = 0x01, kIoApicArbitration = 0x02, kRedirectionBase = 0x10 };
// Version 0x20, and the highest redirection entry (bits 16-23).
constexpr u32 kVersion = 0x20 | (VirtualIoApic::kPins - 1) << 16;
// Writable bits of an entry: vector, delivery mode, destination mode,
// polarity, trigger mode, mask (low word); destination (high byte).
constexpr u64 kEntryWritable = 0xff000000000000ffull | (7u << 8) | (1u << 11) | (1u << 13) | (1u << 15) | (1u << 16);

} // namespace

void VirtualIoApic::reset() {
    *this = VirtualIoApic{};
    id_ = u32(kId) << 24;
    for (u64& e : redirection_) e = kMasked; // masked at power-up
}

u32 VirtualIoApic::read(u32 offset) const {
    if (offset == kRegSelect) return select_;
    if (offset != kRegWindow) return 0;
    switch (select_) {
    case kIoApicId: return id_;
    case kIoApicVersion: return kVersion;
    case kIoApicArbitration: return id_;
    default:
        if (select_ >= kRedirectionBase && select_ < kRedirectionBase + 2 * kPins) {
            u64 e = redirection_[(select_ - kRedirectionBase) / 2];
            return (select_ & 1) ? static_cast<u32>(e >> 32) : static_cast<u32>(e);
        }
        return 0;
    }
}

void VirtualIoApic::write(u32 offset, u32 value) {
    if (offset == kRegSelect) {
        select_ = value & 0xff;
        return;
    }
    if (offset == kRegEoi) return; // edge-triggered lines: nothing waits for an EOI
    if (offset != kRegWindow) return;
    if (select_ == kIoApicId) {
        id_ = value & 0x0f000000u;
        return;
    }
    if (select_ < kRedirectionBase || select_ >= kRedirectionBase + 2 * kPins) return; // read-only or reserved
    u64& e = redirection_[(select_ - kRedirectionBase) / 2];
    u64 merged = (select_ & 1) ? (e & 0xffffffffull) | (u64(value) << 32) : (e & ~0xffffffffull) | value;
    e = merged & kEntryWritable;
}

IpiRequest VirtualIoApic::route(unsigned pin) const {
    IpiRequest r;
    if (pin >= kPins) return r;
    u64 e = redirection_[pin];
    if (e & kMasked) return r;
    constexpr IpiRequest::Mode kModes[8] = {IpiRequest::Mode::fixed,    IpiRequest::Mode::lowest_priority,
                                            IpiRequest::Mode::smi,      IpiRequest::Mode::reserved,
                                            IpiRequest::Mode::nmi,      IpiRequest::Mode::init,
                                            IpiRequest::Mode::reserved, IpiRequest::Mode::reserved};
    r.mode = kModes[(e >> 8) & 7];
    r.vector = static_cast<u8>(e & 0xff);
    r.logical = (e >> 11) & 1;
    r.destination = static_cast<u32>(e >> 56);
    return r;
}

} // namespace bh::x86_64
