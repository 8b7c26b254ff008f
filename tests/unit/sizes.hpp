// SPDX-License-Identifier: GPL-2.0-only
#pragma once

#include <bulkhead/types.hpp>

namespace bh::test {

inline constexpr u64 KiB = 1024;
inline constexpr u64 MiB = 1024 * KiB;
inline constexpr u64 GiB = 1024 * MiB;

} // namespace bh::test
