// SPDX-License-Identifier: GPL-2.0-only
// A virtual CPU: pinned to one physical CPU (its home), scheduled there.
#pragma once

#include <arch/vcpu_context.hpp>
#include <bulkhead/atomic.hpp>
#include <bulkhead/intrusive_list.hpp>
#include <bulkhead/types.hpp>

namespace bh {

class Zone;

// Every transition happens under the home CPU's run-queue lock.
enum class VcpuState : u8 {
    off,      // not started, or PSCI CPU_OFF, or its zone ended
    runnable, // on the home CPU's run queue
    running,  // loaded on the home CPU
    blocked,  // waiting (WFI) for an interrupt or its timer
    io_wait,  // in the middle of an access a server completes (ioreq.hpp);
              // interrupts do not wake it, only the completion does
    paused,   // its zone is paused: on no list until zone_resume requeues it
};

// A device access the vCPU waits for (forwarded to a server zone): the
// generic part; the arch keeps how to apply the result (which register,
// how wide) in its VcpuContext.
struct VcpuIo {
    // none -> waiting (the exit queued a request) -> done (the server
    // completed it; `value` holds a read's result) -> none (the arch
    // applied it before the vCPU runs on).
    enum class State : u8 { none, waiting, done };
    Atomic<State> state{State::none};
    u64 value = 0;
};

struct Vcpu {
    Zone* zone = nullptr;
    u32 index = 0;
    u32 home_cpu = 0;
    VcpuState state = VcpuState::off;
    // Its registers are (or are being) loaded on the home CPU: set under the
    // home CPU's lock when the scheduler picks it, cleared only after
    // vcpu_save finished. Nobody resets or frees a vCPU while it is set.
    Atomic<bool> on_cpu{false};
    ListNode node;         // run queue or sleeper list of the home CPU
    u64 wake_deadline = 0; // counter value when blocked with a timer armed
    VcpuIo io;
    arch::VcpuContext ctx;
};

} // namespace bh
