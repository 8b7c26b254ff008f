// SPDX-License-Identifier: GPL-2.0-only
// Small integers that name a zone to the hardware's TLB (arm64 VMIDs, x86
// ASIDs on SVM and VPIDs on VMX). Tag 0 is never handed out: it is the
// host's (x86) or reserved for "no zone loaded" (arm64). One allocator for
// every architecture; each says how many tags its CPUs have.
#pragma once

#include <bulkhead/spinlock.hpp>
#include <bulkhead/types.hpp>

namespace bh {

template <u32 kCapacity>
class TagAllocator {
    static_assert(kCapacity % 64 == 0 && kCapacity >= 64);

  public:
    // The lowest free tag in [1, limit) (limit capped at kCapacity), or 0
    // when all are taken.
    [[nodiscard]] u32 alloc(u32 limit) {
        if (limit > kCapacity) limit = kCapacity;
        LockGuard g(lock_);
        for (u32 i = 1; i < limit; ++i) {
            if (!(used_[i / 64] >> (i % 64) & 1)) {
                used_[i / 64] |= u64(1) << (i % 64);
                return i;
            }
        }
        return 0;
    }
    void free(u32 tag) {
        if (tag == 0 || tag >= kCapacity) return;
        LockGuard g(lock_);
        used_[tag / 64] &= ~(u64(1) << (tag % 64));
    }
    u32 in_use() const {
        u32 n = 0;
        for (u64 w : used_)
            for (; w; w &= w - 1) ++n;
        return n;
    }

  private:
    Spinlock lock_{LockLevel::allocator};
    u64 used_[kCapacity / 64] = {};
};

} // namespace bh
