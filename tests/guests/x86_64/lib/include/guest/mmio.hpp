// SPDX-License-Identifier: GPL-2.0-only
// Device register access: each access one MOV between a register and
// memory addressed by a bare base register, the form the hypervisor's MMIO
// emulation decodes (as arm64's mmio.hpp keeps to plain ldr/str), rather
// than whatever a compiler picks for a volatile pointer.
#pragma once

#include <guest/types.hpp>

namespace bh::mmio {

inline u8 read8(u64 a) {
    u8 v;
    asm volatile("movb (%1), %0" : "=q"(v) : "r"(a) : "memory");
    return v;
}
inline u32 read32(u64 a) {
    u32 v;
    asm volatile("movl (%1), %0" : "=r"(v) : "r"(a) : "memory");
    return v;
}
inline u64 read64(u64 a) {
    u64 v;
    asm volatile("movq (%1), %0" : "=r"(v) : "r"(a) : "memory");
    return v;
}
inline void write8(u64 a, u8 v) { asm volatile("movb %0, (%1)" ::"q"(v), "r"(a) : "memory"); }
inline void write32(u64 a, u32 v) { asm volatile("movl %0, (%1)" ::"r"(v), "r"(a) : "memory"); }
inline void write64(u64 a, u64 v) { asm volatile("movq %0, (%1)" ::"r"(v), "r"(a) : "memory"); }

} // namespace bh::mmio
