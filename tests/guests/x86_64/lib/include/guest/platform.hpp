// SPDX-License-Identifier: GPL-2.0-only
// What the architecture-neutral parts of the guest library (verdicts,
// console) need from the platform: x86-64 zones with a 16550 on COM1.
#pragma once

#include <guest/console.hpp>
#include <guest/cpu.hpp>

namespace bh::platform {

using Lock = SpinLock;

inline void console_put(char c) {
    constexpr u16 kLsr = console::kCom1 + 5;
    constexpr u8 kLsrThre = 0x20;
    // The bound keeps a broken LSR from hanging the test silently.
    for (u32 i = 0; i < 100000 && !(inb(kLsr) & kLsrThre); ++i) {}
    outb(console::kCom1, static_cast<u8>(c));
}

// x86 test zones only run under the hypervisor.
inline void power_off_bare() {}

} // namespace bh::platform
