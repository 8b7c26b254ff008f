// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/vuart.hpp>

namespace bh {
namespace {

enum : u64 {
    kDr = 0x000, kRsr = 0x004, kFr = 0x018, kIbrd = 0x024, kFbrd = 0x028, kLcrH = 0x02c,
    kCr = 0x030, kIfls = 0x034, kImsc = 0x038, kRis = 0x03c, kMis = 0x040, kIcr = 0x044,
    kDmacr = 0x048, kPeriphId0 = 0xfe0,
};
constexpr u32 kFrTxfe = 1u << 7, kFrRxff = 1u << 6, kFrRxfe = 1u << 4;
constexpr u32 kRisRx = 1u << 4, kRisTx = 1u << 5, kRisRt = 1u << 6;
// AMBA identification: PL011 r1p5, as Linux's amba bus expects.
constexpr u8 kIds[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

} // namespace

void VirtualUart::emit_line() {
    zone_console_line(*zone_, line_, len_);
    constexpr char kStart[] = "BULKHEAD-START";
    if (started_at_ && len_ >= sizeof kStart - 1 && __builtin_memcmp(line_, kStart, sizeof kStart - 1) == 0) {
        // The zone's init is about to run the workload: how long did booting take?
        u64 us = (arch::now() - started_at_) * 1000000 / arch::ticks_per_second();
        log("zone '%s': workload starting %llu.%03llu ms after the zone started", zone_name_,
            static_cast<unsigned long long>(us / 1000), static_cast<unsigned long long>(us % 1000));
    }
    len_ = 0;
}

void VirtualUart::put(char c) {
    if (c == '\r') return;
    if (c == '\n' || len_ == sizeof line_) {
        emit_line();
        if (c == '\n') return;
    }
    // Keep the host console readable: control characters become '.'.
    line_[len_++] = (c >= 0x20 && c < 0x7f) || c == '\t' ? c : '.';
}

// Receive and receive-timeout interrupts are level: asserted while data
// waits and the zone has them unmasked.
bool VirtualUart::rx_interrupt_wanted() const { return rx_count_ && (imsc_ & (kRisRx | kRisRt)); }

void VirtualUart::update_interrupt() {
    if (rx_interrupt_wanted() && zone_) arch::raise_zone_interrupt(*zone_, kInterruptLine);
}

bool VirtualUart::receive(char c) {
    LockGuard g(lock_);
    if (rx_count_ == kRxFifo) return false;
    rx_[(rx_head_ + rx_count_++) % kRxFifo] = c;
    update_interrupt();
    return true;
}

void VirtualUart::flush() {
    LockGuard g(lock_);
    if (len_) emit_line();
}

void VirtualUart::access(MmioAccess& a) {
    LockGuard g(lock_);
    if (!a.write) {
        switch (a.offset) {
        case kDr:
            a.value = 0;
            if (rx_count_) {
                a.value = static_cast<u8>(rx_[rx_head_]);
                rx_head_ = (rx_head_ + 1) % kRxFifo;
                --rx_count_;
            }
            break;
        case kFr: a.value = kFrTxfe | (rx_count_ ? 0 : kFrRxfe) | (rx_count_ == kRxFifo ? kFrRxff : 0); break;
        case kIbrd: a.value = ibrd_; break;
        case kFbrd: a.value = fbrd_; break;
        case kLcrH: a.value = lcr_h_; break;
        case kCr: a.value = cr_; break;
        case kIfls: a.value = ifls_; break;
        case kImsc: a.value = imsc_; break;
        case kRis: a.value = kRisTx | (rx_count_ ? kRisRx | kRisRt : 0); break;
        case kMis: a.value = (kRisTx | (rx_count_ ? kRisRx | kRisRt : 0)) & imsc_; break;
        default:
            a.value = a.offset >= kPeriphId0 && a.offset < kPeriphId0 + 0x20 ? kIds[(a.offset - kPeriphId0) / 4] : 0;
        }
        return;
    }
    u32 v = static_cast<u32>(a.value);
    switch (a.offset) {
    case kDr: put(static_cast<char>(v & 0xff)); break;
    case kIbrd: ibrd_ = v & 0xffff; break;
    case kFbrd: fbrd_ = v & 0x3f; break;
    case kLcrH: lcr_h_ = v & 0xff; break;
    case kCr: cr_ = v & 0xffff; break;
    case kIfls: ifls_ = v & 0x3f; break;
    case kImsc:
        imsc_ = v & 0x7ff;
        update_interrupt();
        break;
    default: break; // RSR, ICR, DMACR: nothing to clear or start
    }
}

} // namespace bh
