// SPDX-License-Identifier: GPL-2.0-only
// System register access by name.
#pragma once

#include <bulkhead/types.hpp>

#define BH_READ_SYSREG(reg)                                                                                            \
    ({                                                                                                                 \
        ::bh::u64 bh_v_;                                                                                               \
        asm volatile("mrs %0, " #reg : "=r"(bh_v_)::"memory");                                                         \
        bh_v_;                                                                                                         \
    })
#define BH_WRITE_SYSREG(reg, v) asm volatile("msr " #reg ", %0" ::"r"(static_cast<::bh::u64>(v)) : "memory")

namespace bh::aarch64 {

inline void isb() { asm volatile("isb" ::: "memory"); }
inline void dsb_ish() { asm volatile("dsb ish" ::: "memory"); }
inline void dsb_sy() { asm volatile("dsb sy" ::: "memory"); }
inline void dmb_ish() { asm volatile("dmb ish" ::: "memory"); }

template <class T>
inline T mmio_read(u64 addr) {
    return *reinterpret_cast<volatile T*>(addr);
}
template <class T>
inline void mmio_write(u64 addr, T v) {
    *reinterpret_cast<volatile T*>(addr) = v;
}

} // namespace bh::aarch64
