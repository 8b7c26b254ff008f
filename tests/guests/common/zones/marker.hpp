// SPDX-License-Identifier: GPL-2.0-only
// The victim's memory marker. Nothing ever prints it, so the runner can
// forbid its digits on the console: seeing them means memory leaked.
#pragma once

#include <guest/types.hpp>

inline constexpr bh::u32 kMarker32 = 0x5EC2E7A1;
inline constexpr bh::u64 kMarker64 = (bh::u64(kMarker32) << 32) | kMarker32;
