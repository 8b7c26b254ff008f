// SPDX-License-Identifier: GPL-2.0-only
// The zone's IDT and the handler behind it: interrupts (vectors 32-255) go
// to irq::dispatch; exceptions to a test's handler for the vector if it
// set one, then to the probes; any other exception is a CRASH.
#include "exception_frame.hpp"

#include <guest/console.hpp>
#include <guest/irq.hpp>
#include <guest/testing.hpp>

extern "C" char bh_exception_stubs[];
extern "C" void bh_idt_load();

namespace {

struct IdtGate {
    bh::u16 offset_low, selector;
    bh::u8 ist, type_attr;
    bh::u16 offset_mid;
    bh::u32 offset_high, reserved;
};
static_assert(sizeof(IdtGate) == 16);
IdtGate idt[256];
bh::exceptions::Handler handlers[32];

IdtGate gate(bh::u64 h, bh::u8 dpl) {
    constexpr bh::u8 kPresentInterruptGate = 0x8e;
    return {static_cast<bh::u16>(h),
            0x08,
            0,
            static_cast<bh::u8>(kPresentInterruptGate | (dpl & 3) << 5),
            static_cast<bh::u16>(h >> 16),
            static_cast<bh::u32>(h >> 32),
            0};
}

struct __attribute__((packed)) IdtPtr {
    bh::u16 limit;
    bh::u64 base;
};

} // namespace

extern "C" void bh_idt_init() {
    for (bh::u32 v = 0; v < 256; ++v) idt[v] = gate(reinterpret_cast<bh::uptr>(bh_exception_stubs) + 16 * v, 0);
    bh_idt_load();
}

// Every vCPU loads the one table (secondaries after vCPU 0 built it).
extern "C" void bh_idt_load() {
    IdtPtr p{sizeof idt - 1, reinterpret_cast<bh::uptr>(idt)};
    asm volatile("lidt %0" ::"m"(p));
}

namespace bh::exceptions {

void set_handler(u32 vector, Handler h) {
    if (vector < 32) __atomic_store_n(&handlers[vector], h, __ATOMIC_RELEASE);
}

void set_gate(u32 vector, u64 entry, u8 dpl) {
    if (vector < 256) idt[vector] = gate(entry, dpl);
}

} // namespace bh::exceptions

extern "C" void bh_exception(bh::ExceptionFrame* f) {
    if (f->vector >= 32) {
        bh::irq::dispatch(static_cast<bh::u32>(f->vector));
        return;
    }
    bh::exceptions::Handler h = __atomic_load_n(&handlers[f->vector], __ATOMIC_ACQUIRE);
    if (h && h(*f)) return;
    if (bh::probe::handle_exception(*f)) return;
    bh::u64 cr2;
    asm volatile("mov %%cr2, %0" : "=r"(cr2));
    bh::print("unexpected exception %llu (error 0x%llx) at RIP 0x%llx, RSP 0x%llx, CR2 0x%llx\n",
              static_cast<unsigned long long>(f->vector), static_cast<unsigned long long>(f->error),
              static_cast<unsigned long long>(f->rip), static_cast<unsigned long long>(f->rsp),
              static_cast<unsigned long long>(cr2));
    bh::test::crash();
}
