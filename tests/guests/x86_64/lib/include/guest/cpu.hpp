// SPDX-License-Identifier: GPL-2.0-only
// Processor primitives an x86-64 test zone needs.
#pragma once

#include <guest/types.hpp>

namespace bh {

inline constexpr u32 kMaxVcpus = 8;

struct Cpuid {
    u32 eax, ebx, ecx, edx;
};
inline Cpuid cpuid(u32 leaf, u32 subleaf = 0) {
    Cpuid r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

// vCPU i has initial APIC ID i (CPUID 1 EBX 31:24).
inline u32 this_vcpu() { return cpuid(1).ebx >> 24; }

inline void dmb() { asm volatile("mfence" ::: "memory"); }
inline void dsb() { asm volatile("mfence" ::: "memory"); }
inline void cpu_relax() { asm volatile("pause" ::: "memory"); }
inline void wfi() { asm volatile("hlt" ::: "memory"); }
inline void irq_enable() { asm volatile("sti" ::: "memory"); }
inline void irq_disable() { asm volatile("cli" ::: "memory"); }

inline u8 inb(u16 port) {
    u8 v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
inline u16 inw(u16 port) {
    u16 v;
    asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
inline u32 inl(u16 port) {
    u32 v;
    asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
inline void outb(u16 port, u8 v) { asm volatile("outb %0, %1" ::"a"(v), "Nd"(port) : "memory"); }
inline void outw(u16 port, u16 v) { asm volatile("outw %0, %1" ::"a"(v), "Nd"(port) : "memory"); }
inline void outl(u16 port, u32 v) { asm volatile("outl %0, %1" ::"a"(v), "Nd"(port) : "memory"); }

inline u64 rdmsr(u32 msr) {
    u32 lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (u64(hi) << 32) | lo;
}
inline void wrmsr(u32 msr, u64 v) {
    asm volatile("wrmsr" ::"c"(msr), "a"(static_cast<u32>(v)), "d"(static_cast<u32>(v >> 32)) : "memory");
}

inline u64 rdtsc() {
    u32 lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (u64(hi) << 32) | lo;
}

// Spin lock: x86 atomics work in every memory type these zones use.
class SpinLock {
  public:
    void lock() {
        u32 me = this_vcpu() + 1;
        u32 expected = 0;
        while (!__atomic_compare_exchange_n(&holder_, &expected, me, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
            expected = 0;
            cpu_relax();
        }
    }
    void unlock() { __atomic_store_n(&holder_, 0u, __ATOMIC_RELEASE); }
    bool held_by_me() const { return __atomic_load_n(&holder_, __ATOMIC_RELAXED) == this_vcpu() + 1; }

  private:
    u32 holder_ = 0;
};

} // namespace bh
