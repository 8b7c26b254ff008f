// SPDX-License-Identifier: GPL-2.0-only
// Real host memory standing in for physical RAM: on the fake arch a
// "physical" address is a host pointer.
#pragma once

#include <cstdlib>
#include <new>

#include <sys/mman.h>

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
    // At exactly `at` (mmap), for tests that need RAM at host-physical
    // addresses a zone can also have as guest-physical ones (below 2^39).
    // Throws std::bad_alloc if that range is taken.
    HostRam(u64 bytes, void* at) : size_(bytes), mapped_(true) {
        mem_ = mmap(at, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (mem_ == MAP_FAILED || mem_ != at) throw std::bad_alloc();
    }
    ~HostRam() {
        if (mapped_)
            munmap(mem_, size_);
        else
            std::free(mem_);
    }
    HostRam(const HostRam&) = delete;
    HostRam& operator=(const HostRam&) = delete;

    HostPhys base() const { return ptr_to_phys(mem_); }
    u64 size() const { return size_; }
    HostPhys end() const { return base() + size_; }

  private:
    void* mem_;
    u64 size_;
    bool mapped_ = false;
};

} // namespace bh::test
