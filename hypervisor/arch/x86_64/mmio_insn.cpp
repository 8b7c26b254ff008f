// SPDX-License-Identifier: GPL-2.0-only
// Intel SDM vol. 2 ch. 2 (instruction format), AMD APM vol. 3 ch. 1.
#include "mmio_insn.hpp"

namespace bh::x86_64 {
namespace {

using Kind = MmioInsn::Kind;
using Extend = MmioInsn::Extend;

constexpr usize kMaxLength = 15;

constexpr u64 size_mask(unsigned size) { return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1; }

constexpr u64 sign_extend(u64 v, unsigned size) {
    unsigned shift = 64 - 8 * size;
    return u64(i64(v << shift) >> shift);
}

// Reads the instruction's bytes in order. The 15-byte limit is checked
// before availability: the CPU raises #GP for a longer instruction whatever
// its bytes, so fetching more would not help the caller.
class Cursor {
  public:
    Cursor(const u8* bytes, usize available) : bytes_(bytes), available_(available) {}

    DecodeStatus take(unsigned n, u64& v) {
        if (pos_ + n > kMaxLength) return DecodeStatus::unsupported;
        if (pos_ + n > available_) return DecodeStatus::truncated;
        v = 0;
        for (unsigned k = 0; k < n; ++k) v |= u64(bytes_[pos_ + k]) << (8 * k);
        pos_ += n;
        return DecodeStatus::ok;
    }
    usize pos() const { return pos_; }

  private:
    const u8* bytes_;
    usize available_;
    usize pos_ = 0;
};

bool is_legacy_prefix(u64 b) {
    switch (b) {
    case 0x26:
    case 0x2e:
    case 0x36:
    case 0x3e:
    case 0x64:
    case 0x65: // segment overrides
    case 0x66:
    case 0x67: // operand and address size
        return true;
    default: return false;
    }
}

// Bytes of displacement (and SIB) after a ModRM with mod != 3. Only the
// raw 3-bit fields matter: REX.B does not change which forms take a
// displacement (r13 as a base still needs one, like rbp).
unsigned address_bytes(unsigned mod, unsigned rm, unsigned address_size, Cursor& c, DecodeStatus& st) {
    if (address_size == 2) { // 16-bit addressing: no SIB; mod 0 rm 6 is a bare disp16
        if (mod == 1) return 1;
        return (mod == 2 || rm == 6) ? 2 : 0;
    }
    unsigned base = rm;
    if (rm == 4) {
        u64 sib;
        if ((st = c.take(1, sib)) != DecodeStatus::ok) return 0;
        base = sib & 7;
    }
    if (mod == 1) return 1;
    if (mod == 2) return 4;
    // mod 0: rm 5 is disp32 (RIP-relative in 64-bit mode), SIB base 5 is disp32 without a base.
    return base == 5 ? 4 : 0;
}

} // namespace

DecodeStatus decode_mmio_insn(const u8* bytes, usize available, MmioInsn& out, DecodeMode mode) {
    const bool long64 = mode == DecodeMode::long64;
    Cursor c(bytes, available);
    DecodeStatus st;
    bool opsize16 = false, addrsize = false;
    u8 rex = 0; // 0x40..0x4f when present, 0 when absent
    u64 op;
    for (;;) {
        if ((st = c.take(1, op)) != DecodeStatus::ok) return st;
        if (op == 0xf0 || op == 0xf2 || op == 0xf3) return DecodeStatus::unsupported; // LOCK, REPNE, REP
        if (is_legacy_prefix(op)) {
            opsize16 |= op == 0x66;
            addrsize |= op == 0x67;
            rex = 0; // a REX followed by another prefix is ignored by the CPU
            continue;
        }
        // In 32-bit mode 0x40..0x4f are INC/DEC, which fall to `unsupported` below.
        if (long64 && (op & 0xf0) == 0x40) {
            rex = u8(op);
            continue;
        }
        break;
    }

    const bool rex_w = rex & 8;
    const unsigned opsize = rex_w ? 8 : opsize16 ? 2 : 4;
    const unsigned address_size = long64 ? (addrsize ? 4 : 8) : (addrsize ? 2 : 4);

    MmioInsn r{};
    bool byte_reg = false;   // the reg field names a byte register
    bool opcode_ext = false; // the reg field is an opcode extension (must be 0)
    unsigned imm_bytes = 0;
    switch (op) {
    case 0x88:
        r = {.kind = Kind::store, .size = 1, .dest_size = 1};
        byte_reg = true;
        break;
    case 0x89: r = {.kind = Kind::store, .size = u8(opsize), .dest_size = u8(opsize)}; break;
    case 0x8a:
        r = {.kind = Kind::load, .size = 1, .dest_size = 1};
        byte_reg = true;
        break;
    case 0x8b: r = {.kind = Kind::load, .size = u8(opsize), .dest_size = u8(opsize)}; break;
    case 0xc6:
        r = {.kind = Kind::store, .size = 1, .has_imm = true, .dest_size = 1};
        opcode_ext = true;
        imm_bytes = 1;
        break;
    case 0xc7:
        // No imm64 form: with REX.W the imm32 is sign-extended.
        r = {.kind = Kind::store, .size = u8(opsize), .has_imm = true, .dest_size = u8(opsize)};
        opcode_ext = true;
        imm_bytes = opsize == 2 ? 2 : 4;
        break;
    case 0x63:
        // MOVSXD; without REX.W it is a plain 32-bit move that compilers do
        // not emit, and in 32-bit mode it is ARPL.
        if (!long64 || !rex_w) return DecodeStatus::unsupported;
        r = {.kind = Kind::load, .size = 4, .extend = Extend::sign, .dest_size = 8};
        break;
    case 0x0f: {
        if ((st = c.take(1, op)) != DecodeStatus::ok) return st;
        if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf) return DecodeStatus::unsupported;
        // Bit 0: a word source; bit 3: sign- rather than zero-extension.
        r = {.kind = Kind::load,
             .size = u8((op & 1) ? 2 : 1),
             .extend = (op & 8) ? Extend::sign : Extend::zero,
             .dest_size = u8(opsize)};
        break;
    }
    case 0xa0:
    case 0xa1:
    case 0xa2:
    case 0xa3: {
        // MOV between rAX and an absolute address (moffs): no ModRM, the
        // offset's width is the address size.
        u8 size = (op & 1) ? u8(opsize) : u8(1);
        r = {.kind = (op & 2) ? Kind::store : Kind::load, .size = size, .dest_size = size};
        u64 moffs;
        if ((st = c.take(address_size, moffs)) != DecodeStatus::ok) return st;
        r.length = u8(c.pos());
        out = r;
        return DecodeStatus::ok;
    }
    default: return DecodeStatus::unsupported;
    }

    u64 modrm;
    if ((st = c.take(1, modrm)) != DecodeStatus::ok) return st;
    const unsigned mod = modrm >> 6, reg = (modrm >> 3) & 7, rm = modrm & 7;
    if (mod == 3) return DecodeStatus::unsupported; // a register operand: no memory access
    if (opcode_ext && reg != 0) return DecodeStatus::unsupported;
    unsigned disp = address_bytes(mod, rm, address_size, c, st);
    if (st != DecodeStatus::ok) return st;
    u64 ignored;
    if (disp && (st = c.take(disp, ignored)) != DecodeStatus::ok) return st;
    if (imm_bytes) {
        if ((st = c.take(imm_bytes, r.imm)) != DecodeStatus::ok) return st;
        if (r.size == 8) r.imm = sign_extend(r.imm, 4);
    }

    if (!opcode_ext) {
        // Without any REX, byte registers 4..7 are AH, CH, DH, BH; with one
        // (even a bare 0x40) they are SPL, BPL, SIL, DIL.
        if (byte_reg && !rex && reg >= 4) {
            r.high_byte = true;
            r.reg = u8(reg - 4);
        } else {
            r.reg = u8(reg | ((rex & 4) ? 8 : 0));
        }
    }
    r.length = u8(c.pos());
    out = r;
    return DecodeStatus::ok;
}

u64 mmio_load_result(const MmioInsn& i, u64 old_reg, u64 value) {
    u64 v = value & size_mask(i.size);
    if (i.extend == Extend::sign) v = sign_extend(v, i.size);
    if (i.high_byte) return (old_reg & ~0xff00ull) | ((v & 0xff) << 8);
    switch (i.dest_size) {
    case 1: return (old_reg & ~0xffull) | (v & 0xff);
    case 2: return (old_reg & ~0xffffull) | (v & 0xffff);
    case 4: return v & 0xffffffffull; // 32-bit destinations clear bits 63:32
    default: return v;
    }
}

u64 mmio_store_value(const MmioInsn& i, u64 reg_value) {
    if (i.has_imm) return i.imm & size_mask(i.size);
    return (i.high_byte ? reg_value >> 8 : reg_value) & size_mask(i.size);
}

} // namespace bh::x86_64
