// SPDX-License-Identifier: GPL-2.0-only
// Ticket spinlocks with a place in the lock order, RAII guards, and lock
// witnesses.
//
// Lock order (outermost first). A path may skip levels but never take a
// lock at or above the level of one it holds; the fake arch checks this on
// every acquisition in the host unit tests (arch::note_lock_acquired), the
// real ones compile the check away.
//
//   1. zone_table      ZoneTable: slots, names, the console zone
//   2. zone            Zone: lifecycle state, starting vCPUs, pins
//   3. device          one device model's registers (a UART's)
//   4. console_buffer  a zone's console: its line and receive buffers
//   5. irq_controller  a zone's virtual interrupt controller (vGIC
//                      distributor, I/O APIC)
//   6. run_queue       PerCpu: run queue, sleepers, the state of every
//                      vCPU homed on that CPU
//   7. allocator       frame allocator, VMID/ASID allocator, boot FDT scratch
//   8. log_budget      a zone's allowance of host-console output
//   9. console         the host console's buffer
//
// Nothing is ever done under a run-queue lock that another CPU could wait
// behind for long: switching a vCPU's registers happens after it is dropped.
#pragma once

#include <bulkhead/arch_cpu.hpp>
#include <bulkhead/atomic.hpp>
#include <bulkhead/types.hpp>

namespace bh {

enum class LockLevel : u8 {
    zone_table = 1,
    zone = 2,
    device = 3,
    console_buffer = 4,
    irq_controller = 5,
    run_queue = 6,
    allocator = 7,
    log_budget = 8,
    console = 9,
};

class Spinlock {
  public:
    constexpr explicit Spinlock(LockLevel level) : level_(level) {}
    Spinlock(const Spinlock&) = delete;
    Spinlock& operator=(const Spinlock&) = delete;

    void lock() {
        arch::note_lock_acquired(static_cast<unsigned>(level_));
        u32 ticket = next_.fetch_add(1, MemoryOrder::relaxed);
        while (serving_.load(MemoryOrder::acquire) != ticket) arch::cpu_relax();
    }
    void unlock() {
        serving_.store(serving_.load(MemoryOrder::relaxed) + 1, MemoryOrder::release);
        arch::note_lock_released(static_cast<unsigned>(level_));
    }
    bool is_locked() const { return next_.load(MemoryOrder::relaxed) != serving_.load(MemoryOrder::relaxed); }
    LockLevel level() const { return level_; }

  private:
    Atomic<u32> next_{0};
    Atomic<u32> serving_{0};
    LockLevel level_;
};

class [[nodiscard]] LockGuard {
  public:
    explicit LockGuard(Spinlock& l) : lock_(l) { lock_.lock(); }
    ~LockGuard() { lock_.unlock(); }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

  private:
    Spinlock& lock_;
};

template <class T>
class Lock;

// Proof that `T`'s lock is held: only a Lock<T> makes one, so a function
// that takes a Locked<T> cannot be called without the lock (Hafnium's
// vm_locked). Cheap to pass by value; never outlives the Lock that made it.
template <class T>
class Locked {
  public:
    T& operator*() const { return obj_; }
    T* operator->() const { return &obj_; }
    T& get() const { return obj_; }

  private:
    friend class Lock<T>;
    explicit Locked(T& obj) : obj_(obj) {}
    T& obj_;
};

// Holds `T`'s lock (T::spinlock()) for its lifetime and hands out witnesses.
template <class T>
class [[nodiscard]] Lock {
  public:
    explicit Lock(T& obj) : obj_(obj) { obj_.spinlock().lock(); }
    ~Lock() { obj_.spinlock().unlock(); }
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

    Locked<T> held() const { return Locked<T>(obj_); }
    T* operator->() const { return &obj_; }

  private:
    T& obj_;
};

} // namespace bh
