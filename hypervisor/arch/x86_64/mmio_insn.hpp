// SPDX-License-Identifier: GPL-2.0-only
// Decoding of the instructions that touch emulated MMIO. A nested page fault
// or EPT violation gives the guest-physical address but not the access size,
// the register or the instruction length (AMD's decode assists and Intel's
// exit qualification do not cover all of them), so the hypervisor fetches the
// faulting instruction and decodes it here. Only the plain data moves that
// compilers emit for volatile loads and stores are accepted: anything else
// (read-modify-write, string, vector, locked) is refused rather than
// half-emulated. Pure code, tested on the host.
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

enum class DecodeStatus : u8 { ok, truncated /* need more bytes */, unsupported };

// The CPU mode the instruction was fetched in: 64-bit mode, or 32-bit
// protected/compatibility mode with a 32-bit code segment (CS.D = 1).
enum class DecodeMode : u8 { long64, protected32 };

DecodeStatus decode_mmio_insn(const u8* bytes, usize available, MmioInsn& out, DecodeMode mode = DecodeMode::long64);

// A load's new register value from the old one and the `size`-byte value
// read: 32-bit writes zero bits 63:32, 8- and 16-bit writes keep the rest,
// high-byte forms write bits 15:8; MOVZX/MOVSX extend to dest_size first.
u64 mmio_load_result(const MmioInsn& i, u64 old_reg, u64 value);

// The `size`-byte value a store writes, given the source register's contents
// (ignored for immediate stores).
u64 mmio_store_value(const MmioInsn& i, u64 reg_value);

} // namespace bh::x86_64
