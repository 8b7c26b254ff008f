// SPDX-License-Identifier: GPL-2.0-only
// This architecture's zone address space, for the generic core.
#pragma once

#include <arch/aarch64_platform.hpp>

namespace bh::arch {
inline constexpr const ZonePlatform& kZonePlatform = aarch64::kZonePlatform;
} // namespace bh::arch
