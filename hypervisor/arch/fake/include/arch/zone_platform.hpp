// SPDX-License-Identifier: GPL-2.0-only
// The fake arch's zone address space: arm64's, so tests of the core read
// like the arm64 zones they stand for.
#pragma once

#include <arch/aarch64_platform.hpp>

namespace bh::arch {
inline constexpr const ZonePlatform& kZonePlatform = aarch64::kZonePlatform;
} // namespace bh::arch
