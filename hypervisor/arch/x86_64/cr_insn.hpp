// SPDX-License-Identifier: GPL-2.0-only
// Decoding of MOV to a control register (0F 22 /r), for SVM's CR-write
// intercepts on CPUs without decode assists (QEMU's TCG has none): the
// exit says which CR, not which register holds the value nor how long the
// instruction is. Pure code, tested on the host.
#pragma once

#include "mmio_insn.hpp"

#include <bulkhead/types.hpp>

namespace bh::x86_64 {

struct MovToCr {
    u8 cr = 0;     // 0-15; AMD's LOCK MOV CR0 (CR8 outside 64-bit mode) gives 8
    u8 gpr = 0;    // source, in encoding order (0 rax .. 15 r15)
    u8 length = 0; // RIP advances by this
};

// `code64`: fetched in 64-bit mode (REX prefixes exist). The ModRM mod
// field is ignored, as the CPU ignores it: the operand is always a register.
[[nodiscard]] DecodeStatus decode_mov_to_cr(const u8* bytes, usize available, MovToCr& out, bool code64);

} // namespace bh::x86_64
