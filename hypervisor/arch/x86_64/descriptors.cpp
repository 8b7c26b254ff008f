// SPDX-License-Identifier: GPL-2.0-only
#include "descriptors.hpp"

#include <bulkhead/limits.hpp>

#include "asm_defs.h"

#include <arch/cpu.hpp>

extern "C" char interrupt_stubs[];

namespace bh::x86_64 {
namespace {

// The 64-bit TSS (Intel SDM vol. 3 8.7, AMD APM vol. 2 12.2.5). Only the IST
// matters: interrupts never arrive at CPL 3 here.
struct __attribute__((packed)) Tss {
    u32 reserved0;
    u64 rsp[3];
    u64 reserved1;
    u64 ist[7];
    u64 reserved2;
    u16 reserved3;
    u16 iomap_base;
};
static_assert(sizeof(Tss) == 104 && __builtin_offsetof(Tss, ist) == 36, "64-bit TSS layout");

struct IdtGate {
    u16 offset_low;
    u16 selector;
    u8 ist;
    u8 type_attr;
    u16 offset_mid;
    u32 offset_high;
    u32 reserved;
};
static_assert(sizeof(IdtGate) == 16, "long-mode IDT gate");

struct __attribute__((packed)) DescriptorPointer {
    u16 limit;
    u64 base;
};

constexpr u64 kCode64 = 0x00af9a000000ffffull; // L, P, DPL 0, execute/read
constexpr u64 kData = 0x00cf92000000ffffull;   // P, DPL 0, read/write
constexpr u8 kInterruptGate = 0x8e;            // P, DPL 0, 64-bit interrupt gate (IF cleared)
constexpr unsigned kIstStackSize = 4096;
constexpr u8 kVectorNmi = 2, kVectorDoubleFault = 8, kVectorMachineCheck = 18;

struct alignas(64) CpuDescriptors {
    u64 gdt[5]; // null, code, data, TSS (two slots)
    Tss tss;
    alignas(16) u8 ist_stack[kIstStackSize];
};
static_assert(BH_SEL_CODE64 == 1 * 8 && BH_SEL_DATA == 2 * 8 && BH_SEL_TSS == 3 * 8, "asm_defs.h selectors");

CpuDescriptors descriptors[kMaxCpus];
IdtGate idt[256];
bool idt_built = false;

void build_idt() {
    for (unsigned v = 0; v < 256; ++v) {
        u64 handler = reinterpret_cast<u64>(interrupt_stubs) + 16 * v;
        IdtGate& g = idt[v];
        g.offset_low = static_cast<u16>(handler);
        g.selector = BH_SEL_CODE64;
        g.ist = (v == kVectorNmi || v == kVectorDoubleFault || v == kVectorMachineCheck) ? 1 : 0;
        g.type_attr = kInterruptGate;
        g.offset_mid = static_cast<u16>(handler >> 16);
        g.offset_high = static_cast<u32>(handler >> 32);
        g.reserved = 0;
    }
    idt_built = true;
}

} // namespace

void descriptors_init_cpu(unsigned index) {
    if (!idt_built) build_idt(); // the boot CPU, before any other starts
    CpuDescriptors& d = descriptors[index];
    d.tss.iomap_base = sizeof(Tss); // no I/O permission bitmap
    d.tss.ist[0] = reinterpret_cast<u64>(d.ist_stack + kIstStackSize);
    u64 base = reinterpret_cast<u64>(&d.tss);
    u64 limit = sizeof(Tss) - 1;
    d.gdt[0] = 0;
    d.gdt[1] = kCode64;
    d.gdt[2] = kData;
    // Available 64-bit TSS (type 9), present: a 16-byte system descriptor.
    d.gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
               (((base >> 24) & 0xff) << 56);
    d.gdt[4] = base >> 32;

    DescriptorPointer gdtr{sizeof d.gdt - 1, reinterpret_cast<u64>(d.gdt)};
    DescriptorPointer idtr{sizeof idt - 1, reinterpret_cast<u64>(idt)};
    asm volatile("lgdt %0\n\t"
                 "lidt %1\n\t"
                 // Reload CS with a far return, then the data segments.
                 "pushq %2\n\t"
                 "leaq 1f(%%rip), %%rax\n\t"
                 "pushq %%rax\n\t"
                 "lretq\n"
                 "1:\n\t"
                 "mov %w3, %%ds\n\t"
                 "mov %w3, %%es\n\t"
                 "mov %w3, %%ss\n\t"
                 "xor %%eax, %%eax\n\t"
                 "mov %%ax, %%fs\n\t"
                 "mov %%ax, %%gs\n\t"
                 "mov %w4, %%ax\n\t"
                 "ltr %%ax"
                 :
                 : "m"(gdtr), "m"(idtr), "i"(BH_SEL_CODE64), "r"(BH_SEL_DATA), "i"(BH_SEL_TSS)
                 : "rax", "memory");
}

u64 gdt_base(unsigned index) { return reinterpret_cast<u64>(descriptors[index].gdt); }
u64 tss_base(unsigned index) { return reinterpret_cast<u64>(&descriptors[index].tss); }
u64 idt_base() { return reinterpret_cast<u64>(idt); }

} // namespace bh::x86_64
