// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/console_input.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone.hpp>
#include <bulkhead/zone_console.hpp>

namespace bh {

void ZoneConsole::emit_line(bool continues) {
    zone_console_line(*zone_, line_, len_, continues);
    constexpr char kStart[] = "BULKHEAD-START";
    if (started_at_ && !continuing_ && len_ >= sizeof kStart - 1 &&
        __builtin_memcmp(line_, kStart, sizeof kStart - 1) == 0) {
        // The zone's init is about to run the workload: how long did booting take?
        u64 us = (arch::now() - started_at_) * 1000000 / arch::ticks_per_second();
        log("zone '%s': workload starting %llu.%03llu ms after the zone started", zone_->name,
            static_cast<unsigned long long>(us / 1000), static_cast<unsigned long long>(us % 1000));
    }
    len_ = 0;
    continuing_ = continues;
}

// One byte into the line; a full line goes out first, marked to continue.
void ZoneConsole::append(char c) {
    if (len_ == sizeof line_) emit_line(true);
    line_[len_++] = c;
}

namespace {
// Bytes a UTF-8 sequence starting with `b` has (0: not a lead byte).
u8 utf8_length(u8 b) {
    if (b >= 0xc2 && b <= 0xdf) return 2;
    if (b >= 0xe0 && b <= 0xef) return 3;
    if (b >= 0xf0 && b <= 0xf4) return 4;
    return 0;
}
// Whether a complete sequence is well formed: shortest form, no surrogates,
// at most U+10FFFF, and not a C1 control (which some terminals obey).
bool utf8_acceptable(const u8* s, u8 n) {
    if (n == 2) return !(s[0] == 0xc2 && s[1] < 0xa0);
    if (n == 3) return !(s[0] == 0xe0 && s[1] < 0xa0) && !(s[0] == 0xed && s[1] >= 0xa0);
    return !(s[0] == 0xf0 && s[1] < 0x90) && !(s[0] == 0xf4 && s[1] >= 0x90);
}
} // namespace

// A multi-byte sequence cut short: its bytes become '.'.
void ZoneConsole::utf8_abandon() {
    for (u8 i = 0; i < utf8_len_; ++i) append('.');
    utf8_len_ = utf8_need_ = 0;
}

void ZoneConsole::utf8_byte(u8 b) {
    if (utf8_need_ && (b & 0xc0) == 0x80) {
        utf8_[utf8_len_++] = b;
        if (utf8_len_ < utf8_need_) return;
        const bool ok = utf8_acceptable(utf8_, utf8_len_);
        // A character is never split across pieces of a long line.
        if (ok && len_ + utf8_len_ > sizeof line_) emit_line(true);
        for (u8 i = 0; i < utf8_len_; ++i) append(ok ? static_cast<char>(utf8_[i]) : '.');
        utf8_len_ = utf8_need_ = 0;
        return;
    }
    utf8_abandon();
    if (u8 n = utf8_length(b)) {
        utf8_[utf8_len_++] = b;
        utf8_need_ = n;
        return;
    }
    append('.');
}

void ZoneConsole::write_byte(char c) {
    LockGuard g(lock_);
    if (static_cast<u8>(c) >= 0x80) {
        utf8_byte(static_cast<u8>(c));
        return;
    }
    utf8_abandon();
    if (c == '\r') return;
    if (c == '\n') {
        emit_line(false);
        return;
    }
    // Keep the host console readable: control characters become '.'.
    append((c >= 0x20 && c < 0x7f) || c == '\t' ? c : '.');
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
    {
        LockGuard g(lock_);
        if (!rx_count_) return false;
        c = rx_[rx_head_];
        rx_head_ = (rx_head_ + 1) % kRxFifo;
        --rx_count_;
    }
    console_input_taken(); // room again: host input may flow
    return true;
}

u32 ZoneConsole::received_count() {
    LockGuard g(lock_);
    return rx_count_;
}

void ZoneConsole::flush() {
    LockGuard g(lock_);
    utf8_abandon();
    if (len_ || continuing_) emit_line(false);
}

} // namespace bh
