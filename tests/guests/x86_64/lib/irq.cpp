// SPDX-License-Identifier: GPL-2.0-only
#include <guest/cpu.hpp>
#include <guest/irq.hpp>
#include <guest/lapic.hpp>

namespace bh::irq {
namespace {

Handler handlers[256];
volatile u64 unhandled[kMaxVcpus];

} // namespace

void set_handler(u32 vector, Handler h) {
    if (vector < 256) handlers[vector] = h;
    dmb();
}

u64 unhandled_count() { return unhandled[this_vcpu()]; }

void dispatch(u32 vector) {
    Handler h = handlers[vector & 0xff];
    if (h)
        h(vector);
    else {
        u32 me = this_vcpu();
        unhandled[me] = unhandled[me] + 1;
    }
    if (vector != lapic::kSpuriousVector) lapic::eoi(); // no EOI for spurious interrupts
}

} // namespace bh::irq
