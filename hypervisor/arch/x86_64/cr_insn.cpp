// SPDX-License-Identifier: GPL-2.0-only
// Intel SDM vol. 2 "MOV - Move to/from Control Registers"; AMD APM vol. 3
// "MOV CRn" (the LOCK prefix selects CR8 when CPUID's AltMovCr8 is set).
#include "cr_insn.hpp"

namespace bh::x86_64 {
namespace {

constexpr usize kMaxLength = 15;
constexpr u8 kLock = 0xf0, kRexR = 4, kRexB = 1;

bool legacy_prefix(u8 b) {
    switch (b) {
    case 0x66:
    case 0x67:
    case 0xf2:
    case 0xf3:
    case 0x26:
    case 0x2e:
    case 0x36:
    case 0x3e:
    case 0x64:
    case 0x65: return true;
    default: return false;
    }
}

} // namespace

DecodeStatus decode_mov_to_cr(const u8* bytes, usize available, MovToCr& out, bool code64) {
    usize i = 0;
    bool lock = false;
    u8 rex = 0;
    // Prefixes; a REX byte counts only right before the opcode.
    for (;; ++i) {
        if (i >= kMaxLength) return DecodeStatus::unsupported;
        if (i >= available) return DecodeStatus::truncated;
        u8 b = bytes[i];
        if (b == kLock)
            lock = true;
        else if (!legacy_prefix(b) && !(code64 && (b & 0xf0) == 0x40))
            break;
        rex = (code64 && (b & 0xf0) == 0x40) ? b : 0;
    }
    const u8 opcode[2] = {0x0f, 0x22};
    for (u8 want : opcode) {
        if (i >= available) return DecodeStatus::truncated;
        if (bytes[i++] != want) return DecodeStatus::unsupported;
    }
    if (i >= kMaxLength) return DecodeStatus::unsupported;
    if (i >= available) return DecodeStatus::truncated;
    u8 modrm = bytes[i++];
    u8 cr = static_cast<u8>(((modrm >> 3) & 7) | ((rex & kRexR) ? 8 : 0));
    if (lock) {
        if (cr != 0) return DecodeStatus::unsupported;
        cr = 8;
    }
    out.cr = cr;
    out.gpr = static_cast<u8>((modrm & 7) | ((rex & kRexB) ? 8 : 0));
    out.length = static_cast<u8>(i);
    return DecodeStatus::ok;
}

} // namespace bh::x86_64
