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

#include <arch/mmio_insn_type.hpp>
#include <bulkhead/types.hpp>

namespace bh::x86_64 {

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
