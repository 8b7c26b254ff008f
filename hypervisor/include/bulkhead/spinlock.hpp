// SPDX-License-Identifier: GPL-2.0-only
// Ticket spinlock with an RAII guard. Fair, so no CPU starves under contention.
//
// Lock order (outermost first); a path may skip levels but never go back up:
//   1. ZoneTable::lock_      zone creation, destruction, lookup by handle
//   2. Zone::lock_           a zone's state, memory and vCPU set
//   3. RunQueue::lock_       one physical CPU's run queue
//   4. Vcpu::irq_lock_       a vCPU's pending virtual interrupts
//   5. FrameAllocator::lock_ the physical frame bitmap
//   6. console lock          log and zone-console output
#pragma once

#include <bulkhead/arch_cpu.hpp>
#include <bulkhead/types.hpp>

namespace bh {

class Spinlock {
  public:
    void lock() {
        u32 ticket = __atomic_fetch_add(&next_, 1u, __ATOMIC_RELAXED);
        while (__atomic_load_n(&serving_, __ATOMIC_ACQUIRE) != ticket)
            arch::cpu_relax();
    }
    void unlock() { __atomic_store_n(&serving_, serving_ + 1, __ATOMIC_RELEASE); }
    bool is_locked() const {
        return __atomic_load_n(&next_, __ATOMIC_RELAXED) != __atomic_load_n(&serving_, __ATOMIC_RELAXED);
    }

  private:
    u32 next_ = 0;
    u32 serving_ = 0;
};

class LockGuard {
  public:
    explicit LockGuard(Spinlock& l) : lock_(l) { lock_.lock(); }
    ~LockGuard() { lock_.unlock(); }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

  private:
    Spinlock& lock_;
};

} // namespace bh
