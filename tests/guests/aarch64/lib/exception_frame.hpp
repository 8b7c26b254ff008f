// SPDX-License-Identifier: GPL-2.0-only
// The register frame vectors.S saves (library-internal).
#pragma once

#include <guest/types.hpp>

namespace bh {

struct ExceptionFrame {
    u64 x[31];
    u64 elr;
    u64 spsr;
    u64 pad;
};
static_assert(sizeof(ExceptionFrame) == 17 * 16, "must match FRAME_SIZE in vectors.S");

namespace probe {
// Handles a synchronous exception raised by an armed probe; false if the
// exception was not a probe's (then it is a crash).
bool handle_sync(ExceptionFrame& f, u64 esr, u64 far);
} // namespace probe

} // namespace bh
