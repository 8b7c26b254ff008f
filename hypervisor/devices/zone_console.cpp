// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone.hpp>
#include <bulkhead/zone_console.hpp>

namespace bh {

void ZoneConsole::emit_line() {
    zone_console_line(*zone_, line_, len_);
    constexpr char kStart[] = "BULKHEAD-START";
    if (started_at_ && len_ >= sizeof kStart - 1 && __builtin_memcmp(line_, kStart, sizeof kStart - 1) == 0) {
        // The zone's init is about to run the workload: how long did booting take?
        u64 us = (arch::now() - started_at_) * 1000000 / arch::ticks_per_second();
        log("zone '%s': workload starting %llu.%03llu ms after the zone started", zone_->name,
            static_cast<unsigned long long>(us / 1000), static_cast<unsigned long long>(us % 1000));
    }
    len_ = 0;
}

void ZoneConsole::write_byte(char c) {
    LockGuard g(lock_);
    if (c == '\r') return;
    if (c == '\n' || len_ == sizeof line_) {
        emit_line();
        if (c == '\n') return;
    }
    // Keep the host console readable: control characters become '.'.
    line_[len_++] = (c >= 0x20 && c < 0x7f) || c == '\t' ? c : '.';
}

bool ZoneConsole::receive(char c) {
    {
        LockGuard g(lock_);
        if (rx_count_ == kRxFifo) return false;
        rx_[(rx_head_ + rx_count_++) % kRxFifo] = c;
    }
    if (listener_) listener_(listener_model_);
    return true;
}

bool ZoneConsole::take_received(char& c) {
    LockGuard g(lock_);
    if (!rx_count_) return false;
    c = rx_[rx_head_];
    rx_head_ = (rx_head_ + 1) % kRxFifo;
    --rx_count_;
    return true;
}

u32 ZoneConsole::received_count() {
    LockGuard g(lock_);
    return rx_count_;
}

void ZoneConsole::flush() {
    LockGuard g(lock_);
    if (len_) emit_line();
}

} // namespace bh
