// SPDX-License-Identifier: GPL-2.0-only
// Real host memory standing in for physical RAM: on the fake arch a
// "physical" address is a host pointer.
#pragma once

#include <cstdlib>
#include <new>

#include <bulkhead/frame_allocator.hpp>

#include "sizes.hpp"

namespace bh::test {

class HostRam {
  public:
    // `bytes` must be a multiple of `align`.
    explicit HostRam(u64 bytes, u64 align = 2 * MiB) : size_(bytes) {
        mem_ = std::aligned_alloc(align, bytes);
        if (!mem_) throw std::bad_alloc();
    }
    ~HostRam() { std::free(mem_); }
    HostRam(const HostRam&) = delete;
    HostRam& operator=(const HostRam&) = delete;

    HostPhys base() const { return ptr_to_phys(mem_); }
    u64 size() const { return size_; }
    HostPhys end() const { return base() + size_; }

  private:
    void* mem_;
    u64 size_;
};

} // namespace bh::test
