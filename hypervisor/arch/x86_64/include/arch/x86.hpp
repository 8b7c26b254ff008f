// SPDX-License-Identifier: GPL-2.0-only
// x86-64 instructions by name: CPUID, MSRs, port I/O, control registers,
// the time-stamp counter and memory-mapped registers.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::x86 {

struct CpuidResult {
    u32 eax, ebx, ecx, edx;
};

inline CpuidResult cpuid(u32 leaf, u32 subleaf = 0) {
    CpuidResult r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

inline u64 rdmsr(u32 msr) {
    u32 lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (u64(hi) << 32) | lo;
}
inline void wrmsr(u32 msr, u64 v) {
    asm volatile("wrmsr" ::"c"(msr), "a"(static_cast<u32>(v)), "d"(static_cast<u32>(v >> 32)) : "memory");
}

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

inline u64 rdtsc() {
    u32 lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (u64(hi) << 32) | lo;
}

#define BH_X86_CR(n)                                                                                                   \
    inline u64 read_cr##n() {                                                                                          \
        u64 v;                                                                                                         \
        asm volatile("mov %%cr" #n ", %0" : "=r"(v));                                                                  \
        return v;                                                                                                      \
    }                                                                                                                  \
    inline void write_cr##n(u64 v) { asm volatile("mov %0, %%cr" #n ::"r"(v) : "memory"); }
BH_X86_CR(0)
BH_X86_CR(2)
BH_X86_CR(3)
BH_X86_CR(4)
#undef BH_X86_CR

#define BH_X86_DR(n)                                                                                                   \
    inline u64 read_dr##n() {                                                                                          \
        u64 v;                                                                                                         \
        asm volatile("mov %%db" #n ", %0" : "=r"(v));                                                                  \
        return v;                                                                                                      \
    }                                                                                                                  \
    inline void write_dr##n(u64 v) { asm volatile("mov %0, %%db" #n ::"r"(v) : "memory"); }
BH_X86_DR(0)
BH_X86_DR(1)
BH_X86_DR(2)
BH_X86_DR(3)
BH_X86_DR(6)
#undef BH_X86_DR

// A pointer to a fixed low physical address (BIOS data, the trampoline page).
// Laundered through an empty asm so the compiler does not take the constant
// for a null-page dereference.
template <class T>
inline T* low_ptr(u64 addr) {
    asm("" : "+r"(addr));
    return reinterpret_cast<T*>(addr);
}

template <class T>
inline T mmio_read(u64 addr) {
    return *reinterpret_cast<volatile T*>(addr);
}
template <class T>
inline void mmio_write(u64 addr, T v) {
    *reinterpret_cast<volatile T*>(addr) = v;
}

// Model-specific registers the hypervisor itself uses.
enum Msr : u32 {
    kMsrApicBase = 0x1b,
    kMsrTscDeadline = 0x6e0,
    kMsrPat = 0x277,
    kMsrEfer = 0xc0000080,
    kMsrFsBase = 0xc0000100,
    kMsrGsBase = 0xc0000101,
    kMsrKernelGsBase = 0xc0000102,
    kMsrTscAux = 0xc0000103,
    kMsrVmCr = 0xc0010114,
    kMsrVmHsavePa = 0xc0010117,
};

inline constexpr u64 kEferSce = 1u << 0, kEferLme = 1u << 8, kEferLma = 1u << 10, kEferNxe = 1u << 11,
                     kEferSvme = 1u << 12;
inline constexpr u64 kCr0Pe = 1u << 0, kCr0Mp = 1u << 1, kCr0Et = 1u << 4, kCr0Ne = 1u << 5, kCr0Wp = 1u << 16,
                     kCr0Pg = 1u << 31;
inline constexpr u64 kCr4Pae = 1u << 5, kCr4Pge = 1u << 7, kCr4Osfxsr = 1u << 9, kCr4Osxmmexcpt = 1u << 10,
                     kCr4Vmxe = 1u << 13;
inline constexpr u64 kRflagsIf = 1u << 9, kRflagsFixed = 1u << 1;
// Debug registers at reset (SDM vol. 3 18.2): no breakpoint enabled.
inline constexpr u64 kDr6Reset = 0xffff0ff0, kDr7Reset = 0x400;

// Interrupts stay off in the hypervisor except where they are polled.
inline void irq_poll() { asm volatile("sti; nop; cli" ::: "memory"); }

} // namespace bh::x86
