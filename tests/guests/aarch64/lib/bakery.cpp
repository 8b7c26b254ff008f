// SPDX-License-Identifier: GPL-2.0-only
// Lamport's bakery lock: take a ticket one higher than any seen, then wait
// for every vCPU holding a lower (ticket, index) pair.
#include <guest/bakery.hpp>

namespace bh {

void BakeryLock::lock() {
    u32 me = this_vcpu();
    choosing_[me] = 1;
    dmb();
    u32 max = 0;
    for (u32 j = 0; j < kMaxVcpus; ++j) {
        u32 n = number_[j];
        if (n > max) max = n;
    }
    number_[me] = max + 1;
    dmb();
    choosing_[me] = 0;
    dmb();
    u32 mine = max + 1;
    for (u32 j = 0; j < kMaxVcpus; ++j) {
        if (j == me) continue;
        while (choosing_[j]) cpu_relax();
        dmb();
        for (;;) {
            u32 n = number_[j];
            if (n == 0 || n > mine || (n == mine && j > me)) break;
            cpu_relax();
        }
        dmb();
    }
    holder_ = me + 1;
    dmb();
}

void BakeryLock::unlock() {
    holder_ = 0;
    dmb();
    number_[this_vcpu()] = 0;
    dmb();
}

} // namespace bh
