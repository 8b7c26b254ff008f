// SPDX-License-Identifier: GPL-2.0-only
// Exceptions in x86 test zones: the frame vectors.S saves, handlers a test
// installs for single vectors (tried before the probes and before the CRASH
// verdict), and IDT gates a test re-points (e.g. a DPL-3 gate that user
// mode may reach with INT n).
#pragma once

#include <guest/types.hpp>

namespace bh {

// What vectors.S saves, lowest address first.
struct ExceptionFrame {
    u64 r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    u64 vector, error;
    u64 rip, cs, rflags, rsp, ss;
};
static_assert(sizeof(ExceptionFrame) == 22 * 8);

namespace exceptions {

// Returns true if it dealt with the exception: the (possibly changed)
// frame resumes. False: the probes and then the CRASH verdict get it.
using Handler = bool (*)(ExceptionFrame& f);

// One handler per exception vector (0-31), shared by all vCPUs.
void set_handler(u32 vector, Handler h);

// Points IDT entry `vector` at `entry` (64-bit interrupt gate, CS 0x08)
// reachable by INT n from privilege level `dpl` and above.
void set_gate(u32 vector, u64 entry, u8 dpl);

} // namespace exceptions
} // namespace bh
