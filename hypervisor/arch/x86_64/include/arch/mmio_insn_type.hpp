// SPDX-License-Identifier: GPL-2.0-only
// A decoded MMIO instruction (mmio_insn.hpp decodes it): plain data, also
// kept in a vCPU waiting for a forwarded access (VcpuContext::pending_insn).
#pragma once

#include <bulkhead/types.hpp>

namespace bh::x86_64 {

struct MmioInsn {
    enum class Kind : u8 { load, store } kind = Kind::load;
    u8 size = 0;            // bytes accessed in memory: 1, 2, 4 or 8
    u8 length = 0;          // instruction length: RIP advances by this
    u8 reg = 0;             // GPR in encoding order (0 rax .. 15 r15): load destination or store source
    bool high_byte = false; // AH/CH/DH/BH: register `reg` (0..3), bits 15:8
    bool has_imm = false;   // a store of `imm` (MOV r/m, imm); `reg` is then meaningless
    u64 imm = 0;            // already sign-extended to `size` bytes
    enum class Extend : u8 { none, zero, sign } extend = Extend::none; // MOVZX/MOVSX/MOVSXD loads
    u8 dest_size = 0; // register width a load writes (the store source width for stores)
};

} // namespace bh::x86_64
