// SPDX-License-Identifier: GPL-2.0-only
// Acknowledge, dispatch and end every pending interrupt (EOImode 0).
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/irq.hpp>

namespace bh::irq {
namespace {

Handler handlers[kMaxVcpus][kMaxIntid];
volatile u64 unhandled[kMaxVcpus];

} // namespace

void set_handler(u32 intid, Handler h) {
    if (intid < kMaxIntid) handlers[this_vcpu()][intid] = h;
    dsb();
}

u64 unhandled_count() { return unhandled[this_vcpu()]; }

void dispatch() {
    u32 me = this_vcpu();
    for (;;) {
        u32 iar = gic::acknowledge();
        u32 intid = iar & 0xffffff;
        if (intid >= 1020) return; // spurious: nothing (more) pending
        Handler h = intid < kMaxIntid ? handlers[me][intid] : nullptr;
        if (h)
            h(intid);
        else
            unhandled[me] = unhandled[me] + 1;
        gic::end_of_interrupt(iar);
    }
}

} // namespace bh::irq
