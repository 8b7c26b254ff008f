// SPDX-License-Identifier: GPL-2.0-only
// Fixed-width integers, and the little-endian conversions virtio needs:
// every field a virtio 1.x device shares with its driver (rings,
// descriptors, registers, configuration space) is little-endian whatever
// the CPU. arm64 and x86-64 are both little-endian, so these compile to
// nothing today; they keep the library honest on any other host.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace bh::virtio {

using u8 = std::uint8_t;
using u16 = std::uint16_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;
using usize = std::size_t;

template <class T>
constexpr T from_le(T v) {
    static_assert(std::is_unsigned_v<T>);
    if constexpr (std::endian::native == std::endian::little || sizeof(T) == 1) {
        return v;
    } else if constexpr (sizeof(T) == 2) {
        return __builtin_bswap16(v);
    } else if constexpr (sizeof(T) == 4) {
        return __builtin_bswap32(v);
    } else {
        return __builtin_bswap64(v);
    }
}

template <class T>
constexpr T to_le(T v) {
    return from_le(v); // a byte swap is its own inverse
}

} // namespace bh::virtio
