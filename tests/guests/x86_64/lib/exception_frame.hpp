// SPDX-License-Identifier: GPL-2.0-only
// What vectors.S saves, lowest address first.
#pragma once

#include <guest/types.hpp>

namespace bh {

struct ExceptionFrame {
    u64 r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    u64 vector, error;
    u64 rip, cs, rflags, rsp, ss;
};
static_assert(sizeof(ExceptionFrame) == 22 * 8);

namespace probe {
// True if the exception belongs to an armed probe (the frame then resumes after it).
bool handle_exception(ExceptionFrame& f);
} // namespace probe

} // namespace bh
