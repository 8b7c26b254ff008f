// SPDX-License-Identifier: GPL-2.0-only
// Guest memory backed by a std::vector of exactly `size` bytes, for tests
// and the fuzzer: under AddressSanitizer any access past either end of the
// zone's RAM would land in the vector's red zones and be reported, so the
// bounds checks of GuestMemory are themselves checked.
#pragma once

#include <bulkhead/virtio/guest_memory.hpp>

#include <vector>

namespace bh::virtio {

namespace detail {
// Constructed before GuestMemory (base-from-member), so its buffer exists
// when GuestMemory is handed the host address.
struct VectorStorage {
    explicit VectorStorage(usize size) : bytes(size) {}
    std::vector<u8> bytes;
};
} // namespace detail

class VectorGuestMemory : private detail::VectorStorage, public GuestMemory {
  public:
    VectorGuestMemory(u64 base, usize size) : VectorStorage(size), GuestMemory(base, size, bytes.data()) {}

    // The test's (the "driver's") direct view of the zone's RAM.
    u8* host(u64 gpa) { return bytes.data() + (gpa - base()); }
    std::vector<u8>& raw() { return bytes; }
};

} // namespace bh::virtio
