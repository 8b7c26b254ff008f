// SPDX-License-Identifier: GPL-2.0-only
// Device register access. Each access is one plain ldr/str with a bare base
// register: a hypervisor can emulate a trapped access only when the
// syndrome describes it (ESR.ISV = 1), which excludes the pair, pre- and
// post-indexed forms a compiler would happily pick for volatile pointers.
#pragma once

#include <guest/types.hpp>

namespace bh::mmio {

inline u8 read8(u64 a) {
    u32 v;
    asm volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return static_cast<u8>(v);
}
inline u32 read32(u64 a) {
    u32 v;
    asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}
inline u64 read64(u64 a) {
    u64 v;
    asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}
inline void write8(u64 a, u8 v) { asm volatile("strb %w0, [%1]" ::"rZ"(u32(v)), "r"(a) : "memory"); }
inline void write32(u64 a, u32 v) { asm volatile("str %w0, [%1]" ::"rZ"(v), "r"(a) : "memory"); }
inline void write64(u64 a, u64 v) { asm volatile("str %x0, [%1]" ::"rZ"(v), "r"(a) : "memory"); }

} // namespace bh::mmio
