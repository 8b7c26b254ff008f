// SPDX-License-Identifier: GPL-2.0-only
#include <guest/exceptions.hpp>
#include <guest/usermode.hpp>

extern "C" {
bh::u64 bh_user_call(bh::u64 (*fn)(bh::u64), bh::u64 arg, bh::u64 user_stack_top);
extern char bh_user_return[];
}

namespace bh::user {
namespace {

constexpr u64 kPresent = 1, kWritable = 2, kUser = 4, kLarge = 0x80;
constexpr u64 kRamWindow = 0x40000000; // the PDPT entry covering the zone's RAM: [1 GiB, 2 GiB)

alignas(4096) u64 pml4[512];
alignas(4096) u64 pdpt[512];
alignas(4096) u64 pd[512];

// The 64-bit TSS: RSP0 is the only field used (entries from CPL 3).
struct __attribute__((packed)) Tss {
    u32 reserved0;
    u64 rsp[3];
    u64 reserved1;
    u64 ist[7];
    u64 reserved2;
    u16 reserved3;
    u16 iomap_base;
};
static_assert(sizeof(Tss) == 104);
Tss tss;

// Kernel code and data as start.S has them (0x08, 0x10), then user data
// 0x18 and user code 0x20 (the order SYSRET wants), then the TSS (0x28).
constexpr u64 kCode64 = 0x00af9a000000ffffull, kData = 0x00cf92000000ffffull;
constexpr u64 kUserData = 0x00cff2000000ffffull, kUserCode64 = 0x00affa000000ffffull;
constexpr u16 kTssSelector = 0x28;
alignas(16) u64 gdt[7];

struct __attribute__((packed)) DescriptorPointer {
    u16 limit;
    u64 base;
};

alignas(16) u8 kernel_stack[16384];
alignas(16) u8 user_stack[16384];

u64 addr(const void* p) { return reinterpret_cast<uptr>(p); }

} // namespace

void init() {
    for (u64 i = 0; i < 512; ++i) pd[i] = (kRamWindow + (i << 21)) | kPresent | kWritable | kUser | kLarge;
    pdpt[kRamWindow >> 30] = addr(pd) | kPresent | kWritable | kUser;
    pml4[0] = addr(pdpt) | kPresent | kWritable | kUser;
    asm volatile("mov %0, %%cr3" ::"r"(addr(pml4)) : "memory");

    tss.rsp[0] = addr(kernel_stack + sizeof kernel_stack);
    tss.iomap_base = sizeof(Tss); // no I/O permission bitmap: IN/OUT at CPL 3 fault
    u64 base = addr(&tss), limit = sizeof(Tss) - 1;
    gdt[1] = kCode64;
    gdt[2] = kData;
    gdt[3] = kUserData;
    gdt[4] = kUserCode64;
    // An available 64-bit TSS (type 9), present: a 16-byte system descriptor.
    gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
             (((base >> 24) & 0xff) << 56);
    gdt[6] = base >> 32;
    DescriptorPointer p{sizeof gdt - 1, addr(gdt)};
    // The kernel selectors keep their descriptors, so CS and the data
    // segments stay valid across the switch of tables.
    asm volatile("lgdt %0; ltr %w1" ::"m"(p), "r"(kTssSelector) : "memory");
    exceptions::set_gate(kReturnVector, addr(bh_user_return), 3);
}

u64 call(u64 (*fn)(u64), u64 arg) { return bh_user_call(fn, arg, addr(user_stack + sizeof user_stack)); }

} // namespace bh::user
