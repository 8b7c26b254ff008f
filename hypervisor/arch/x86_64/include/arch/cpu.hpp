// SPDX-License-Identifier: GPL-2.0-only
// The CPU interface generic code uses (see bulkhead/arch_cpu.hpp).
#pragma once

#include <bulkhead/types.hpp>

namespace bh::arch {

inline void cpu_relax() { asm volatile("pause" ::: "memory"); }
unsigned cpu_id();
// Lock-order checking is for the host unit tests (the fake arch); here the
// hooks cost nothing.
inline void note_lock_acquired(unsigned) {}
inline void note_lock_released(unsigned) {}
[[noreturn]] void halt_machine();

} // namespace bh::arch
