// SPDX-License-Identifier: GPL-2.0-only
// A zone's RAM as its backend sees it: guest-physical [base, base + size)
// mapped at some host address of this process (later an mmap of the
// zone's memory through /dev/bulkhead; in tests a std::vector). Every
// address here comes from the guest, so every access is checked against
// that range before anything is touched: a range that straddles the end,
// starts below the base, or wraps past 2^64 is refused as a whole, and
// nothing outside the zone is ever read or written.
//
// The zone's vCPUs write this memory while we read it. Callers therefore
// copy what they decide on (a descriptor, a ring index) into a local once
// and decide on the copy only; the ring indices that the other side
// updates concurrently go through the single-access loads and stores
// below, never through a wider copy that could tear.
#pragma once

#include <bulkhead/virtio/ints.hpp>

namespace bh::virtio {

class GuestMemory {
  public:
    virtual ~GuestMemory() = default;
    GuestMemory(const GuestMemory&) = delete;
    GuestMemory& operator=(const GuestMemory&) = delete;

    u64 base() const { return base_; }
    u64 size() const { return size_; }

    // Whether [gpa, gpa + len) lies wholly inside the zone's RAM. An empty
    // range counts as inside when it starts inside or right at the end.
    bool contains(u64 gpa, u64 len) const { return gpa >= base_ && len <= size_ && gpa - base_ <= size_ - len; }

    // Bulk copies; false, with nothing copied, unless the whole range is
    // inside.
    [[nodiscard]] bool read(u64 gpa, void* dst, usize len) const;
    [[nodiscard]] bool write(u64 gpa, const void* src, usize len);

    // One naturally aligned little-endian field, read or written as a
    // single access (the other side may be updating it right now); false
    // if it is outside the zone or not naturally aligned.
    [[nodiscard]] bool load_u16(u64 gpa, u16& value) const;
    [[nodiscard]] bool store_u16(u64 gpa, u16 value);

    // Where [gpa, gpa + len) is in this process, for handing to the
    // kernel (preadv, io_uring) without a bounce copy: the zone's own data
    // moving to or from its own disk, which the zone changing under the
    // transfer can only garble for itself. Null unless the range is inside.
    u8* host_range(u64 gpa, u64 len) const { return contains(gpa, len) ? host_at(gpa) : nullptr; }

  protected:
    // The subclass owns the mapping and keeps it alive as long as this
    // object lives.
    GuestMemory(u64 base, u64 size, u8* host);

  private:
    u8* host_at(u64 gpa) const { return host_ + (gpa - base_); }

    u64 base_;
    u64 size_;
    u8* host_;
};

} // namespace bh::virtio
