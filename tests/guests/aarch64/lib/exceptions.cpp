// SPDX-License-Identifier: GPL-2.0-only
// Exception dispatch: IRQs go to the interrupt handlers, aborts armed by a
// probe are absorbed, and anything else is reported as the test's CRASH.
#include "exception_frame.hpp"

#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/irq.hpp>
#include <guest/sync_hook.hpp>
#include <guest/testing.hpp>

namespace bh {
namespace {

enum Kind : u64 {
    kCurrentSp0Sync = 0,
    kCurrentSpxSync = 4,
    kCurrentSpxIrq = 5,
};

const char* kind_name(u64 kind) {
    static const char* const names[16] = {
        "sync (SP_EL0)",
        "IRQ (SP_EL0)",
        "FIQ (SP_EL0)",
        "SError (SP_EL0)",
        "sync",
        "IRQ",
        "FIQ",
        "SError",
        "sync (lower EL)",
        "IRQ (lower EL)",
        "FIQ (lower EL)",
        "SError (lower EL)",
        "sync (AArch32)",
        "IRQ (AArch32)",
        "FIQ (AArch32)",
        "SError (AArch32)",
    };
    return kind < 16 ? names[kind] : "unknown";
}

u64 read_esr() {
    u64 v;
    asm volatile("mrs %0, esr_el1" : "=r"(v));
    return v;
}
u64 read_far() {
    u64 v;
    asm volatile("mrs %0, far_el1" : "=r"(v));
    return v;
}

[[noreturn]] void crash(u64 kind, const ExceptionFrame& f, u64 esr, u64 far) {
    print("unexpected exception: %s on vCPU %u: ESR 0x%llx (EC 0x%llx) ELR 0x%llx FAR 0x%llx SPSR 0x%llx\n",
          kind_name(kind), this_vcpu(), static_cast<unsigned long long>(esr),
          static_cast<unsigned long long>((esr >> 26) & 0x3f), static_cast<unsigned long long>(f.elr),
          static_cast<unsigned long long>(far), static_cast<unsigned long long>(f.spsr));
    test::crash();
}

} // namespace
} // namespace bh

extern "C" void bh_exception(bh::u64 kind, bh::ExceptionFrame* frame) {
    using namespace bh;
    if (kind == kCurrentSpxIrq) {
        irq::dispatch();
        return;
    }
    u64 esr = read_esr();
    u64 far = read_far();
    if (kind == kCurrentSpxSync || kind == kCurrentSp0Sync) {
        sync_hook::Event e{esr, far, frame->spsr, frame->elr};
        if (sync_hook::run(e)) {
            frame->elr = e.elr;
            return;
        }
    }
    if (kind == kCurrentSpxSync && probe::handle_sync(*frame, esr, far)) return;
    crash(kind, *frame, esr, far);
}
