// SPDX-License-Identifier: GPL-2.0-only
// A value shared between CPUs without a lock. Every access names its memory
// order, so a reader sees which accesses publish data and which only count;
// the wrapper keeps raw __atomic builtins out of the rest of the code and
// makes a plain (racy) access to a shared value impossible.
#pragma once

#include <bulkhead/types.hpp>

namespace bh {

enum class MemoryOrder : int {
    relaxed = __ATOMIC_RELAXED,
    acquire = __ATOMIC_ACQUIRE,
    release = __ATOMIC_RELEASE,
    acq_rel = __ATOMIC_ACQ_REL,
    seq_cst = __ATOMIC_SEQ_CST,
};

template <class T>
class Atomic {
  public:
    constexpr Atomic() = default;
    constexpr explicit Atomic(T v) : v_(v) {}
    Atomic(const Atomic&) = delete;
    Atomic& operator=(const Atomic&) = delete;

    T load(MemoryOrder o = MemoryOrder::acquire) const { return __atomic_load_n(&v_, static_cast<int>(o)); }
    void store(T v, MemoryOrder o = MemoryOrder::release) { __atomic_store_n(&v_, v, static_cast<int>(o)); }
    T exchange(T v, MemoryOrder o = MemoryOrder::acq_rel) { return __atomic_exchange_n(&v_, v, static_cast<int>(o)); }
    // On failure `expected` becomes the current value.
    bool compare_exchange(T& expected, T desired, MemoryOrder o = MemoryOrder::acq_rel) {
        return __atomic_compare_exchange_n(&v_, &expected, desired, false, static_cast<int>(o),
                                           static_cast<int>(failure_order(o)));
    }
    // Integers only: the value before the operation.
    T fetch_add(T d, MemoryOrder o = MemoryOrder::acq_rel) { return __atomic_fetch_add(&v_, d, static_cast<int>(o)); }
    T fetch_sub(T d, MemoryOrder o = MemoryOrder::acq_rel) { return __atomic_fetch_sub(&v_, d, static_cast<int>(o)); }
    T fetch_or(T d, MemoryOrder o = MemoryOrder::acq_rel) { return __atomic_fetch_or(&v_, d, static_cast<int>(o)); }
    T fetch_and(T d, MemoryOrder o = MemoryOrder::acq_rel) { return __atomic_fetch_and(&v_, d, static_cast<int>(o)); }

    // Lowers the value to `v` if `v` is smaller (or the value is `none`):
    // how earliest deadlines are published.
    void store_min(T v, T none = T{}) {
        T cur = load();
        while ((cur == none || v < cur) && !compare_exchange(cur, v)) {}
    }

  private:
    static constexpr MemoryOrder failure_order(MemoryOrder o) {
        return o == MemoryOrder::acq_rel || o == MemoryOrder::release ? MemoryOrder::acquire : o;
    }
    T v_{};
};

} // namespace bh
