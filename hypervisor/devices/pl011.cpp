// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/pl011.hpp>

namespace bh {
namespace {

enum : u64 {
    kDr = 0x000,
    kRsr = 0x004,
    kFr = 0x018,
    kIbrd = 0x024,
    kFbrd = 0x028,
    kLcrH = 0x02c,
    kCr = 0x030,
    kIfls = 0x034,
    kImsc = 0x038,
    kRis = 0x03c,
    kMis = 0x040,
    kIcr = 0x044,
    kDmacr = 0x048,
    kPeriphId0 = 0xfe0,
};
constexpr u32 kFrTxfe = 1u << 7, kFrRxff = 1u << 6, kFrRxfe = 1u << 4;
constexpr u32 kRisRx = 1u << 4, kRisTx = 1u << 5, kRisRt = 1u << 6;
// AMBA identification: PL011 r1p5, as Linux's amba bus expects.
constexpr u8 kIds[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

} // namespace

void Pl011::attach(Zone& zone, ZoneConsole& console) {
    zone_ = &zone;
    console_ = &console;
    console.set_input_listener(input_arrived, this);
}

void Pl011::input_arrived(void* self) {
    Pl011& u = *static_cast<Pl011*>(self);
    LockGuard g(u.lock_);
    u.update_interrupt(u.console_->received_count());
}

bool Pl011::rx_interrupt_wanted(u32 rx_count) const { return rx_count && (imsc_ & (kRisRx | kRisRt)); }

void Pl011::update_interrupt(u32 rx_count) {
    if (rx_interrupt_wanted(rx_count)) arch::raise_zone_interrupt(*zone_, kInterruptLine);
}

bool Pl011::access(Vcpu&, DeviceAccess& a) {
    LockGuard g(lock_);
    if (!a.write) {
        u32 rx = console_->received_count();
        switch (a.offset) {
        case kDr: {
            char c = 0;
            a.value = console_->take_received(c) ? static_cast<u8>(c) : 0;
            break;
        }
        case kFr: a.value = kFrTxfe | (rx ? 0 : kFrRxfe) | (rx == ZoneConsole::kRxFifo ? kFrRxff : 0); break;
        case kIbrd: a.value = ibrd_; break;
        case kFbrd: a.value = fbrd_; break;
        case kLcrH: a.value = lcr_h_; break;
        case kCr: a.value = cr_; break;
        case kIfls: a.value = ifls_; break;
        case kImsc: a.value = imsc_; break;
        case kRis: a.value = kRisTx | (rx ? kRisRx | kRisRt : 0); break;
        case kMis: a.value = (kRisTx | (rx ? kRisRx | kRisRt : 0)) & imsc_; break;
        default:
            a.value = a.offset >= kPeriphId0 && a.offset < kPeriphId0 + 0x20 ? kIds[(a.offset - kPeriphId0) / 4] : 0;
        }
        return true;
    }
    u32 v = static_cast<u32>(a.value);
    switch (a.offset) {
    case kDr: console_->write_byte(static_cast<char>(v & 0xff)); break;
    case kIbrd: ibrd_ = v & 0xffff; break;
    case kFbrd: fbrd_ = v & 0x3f; break;
    case kLcrH: lcr_h_ = v & 0xff; break;
    case kCr: cr_ = v & 0xffff; break;
    case kIfls: ifls_ = v & 0x3f; break;
    case kImsc:
        imsc_ = v & 0x7ff;
        update_interrupt(console_->received_count());
        break;
    default: break; // RSR, ICR, DMACR: nothing to clear or start
    }
    return true;
}

} // namespace bh
