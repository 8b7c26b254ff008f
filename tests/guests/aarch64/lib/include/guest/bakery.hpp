// SPDX-License-Identifier: GPL-2.0-only
// Lamport's bakery lock over plain loads and stores. With the MMU off all
// memory is Device memory, where exclusives (ldxr/stxr) are not guaranteed
// to work; the bakery algorithm needs only ordered accesses (dmb).
#pragma once

#include <guest/cpu.hpp>

namespace bh {

class BakeryLock {
  public:
    void lock();
    void unlock();
    // Whether the calling vCPU holds it. Lets a crash report on a vCPU that
    // already holds the console lock print instead of deadlocking.
    bool held_by_me() const { return holder_ == this_vcpu() + 1; }

  private:
    volatile u32 choosing_[kMaxVcpus] = {};
    volatile u32 number_[kMaxVcpus] = {};
    volatile u32 holder_ = 0; // vCPU index + 1; 0 when free (BSS-friendly)
};

} // namespace bh
