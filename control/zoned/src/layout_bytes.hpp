// SPDX-License-Identifier: GPL-2.0-only
// What the Linux layout planners share: reading a kernel header's
// little-endian fields and saying sizes in MiB to a user.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace bh::zoned {

inline constexpr std::uint64_t kPage = 4096;

// `bytes` (at most 8) little-endian bytes at `at`; the caller checked the range.
inline std::uint64_t le_bytes(std::span<const std::uint8_t> b, std::size_t at, unsigned bytes) {
    std::uint64_t v = 0;
    for (unsigned i = 0; i < bytes; ++i) v |= std::uint64_t(b[at + i]) << (8 * i);
    return v;
}

inline std::string mib(std::uint64_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB"; }

} // namespace bh::zoned
