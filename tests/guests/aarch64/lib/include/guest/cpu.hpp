// SPDX-License-Identifier: GPL-2.0-only
// Processor primitives a test zone needs: which vCPU it runs on, barriers,
// the IRQ mask and the idle instruction.
#pragma once

#include <guest/types.hpp>

namespace bh {

// start.S reserves a stack for this many vCPUs (the ABI's maximum).
inline constexpr u32 kMaxVcpus = 8;

// vCPU i of a zone has MPIDR Aff0 = i; on bare QEMU virt (up to 8 CPUs) CPU i
// has Aff0 = i as well, so the same code indexes per-vCPU state in both.
inline u32 this_vcpu() {
    u64 v;
    asm volatile("mrs %0, mpidr_el1" : "=r"(v));
    return static_cast<u32>(v & 0xff);
}

inline void dmb() { asm volatile("dmb sy" ::: "memory"); }
inline void dsb() { asm volatile("dsb sy" ::: "memory"); }
inline void isb() { asm volatile("isb" ::: "memory"); }
inline void wfi() { asm volatile("wfi" ::: "memory"); }
inline void cpu_relax() { asm volatile("yield" ::: "memory"); }
inline void irq_enable() { asm volatile("msr daifclr, #2" ::: "memory"); }
inline void irq_disable() { asm volatile("msr daifset, #2" ::: "memory"); }

} // namespace bh
