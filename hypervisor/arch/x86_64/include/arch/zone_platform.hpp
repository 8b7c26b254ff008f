// SPDX-License-Identifier: GPL-2.0-only
// This architecture's zone address space, for the generic core.
#pragma once

#include <arch/x86_64_platform.hpp>

namespace bh::arch {
inline constexpr const ZonePlatform& kZonePlatform = x86_64::kZonePlatform;
} // namespace bh::arch
