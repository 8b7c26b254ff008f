// SPDX-License-Identifier: GPL-2.0-only
// The fake arch's vCPU state: a few registers, the interrupts pending for
// it, its timer, and what the tests need to see of loads and saves.
#pragma once

#include <bulkhead/atomic.hpp>
#include <bulkhead/types.hpp>

namespace bh::arch {

struct GuestRegs {
    u64 x[8];
    u64 pc;
};

inline constexpr const char* kFaultInjectionName = "injecting a fake abort";

struct VcpuContext {
    GuestRegs regs;
    Atomic<u64> pending{0};    // a bit per interrupt line; bit 63 is the timer
    u64 timer_deadline = 0;    // armed timer (counter value), 0: none
    Atomic<int> loaded_on{-1}; // the CPU whose registers hold it, -1: none
    u64 resets = 0;
    u64 aborts_injected = 0;
};

inline constexpr u64 kFakeTimerLine = 62; // (63 is the platform's event line)

} // namespace bh::arch
