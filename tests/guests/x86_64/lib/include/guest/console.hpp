// SPDX-License-Identifier: GPL-2.0-only
// Console output through the zone's (virtual) 16550 at I/O port 0x3f8.
#pragma once

#include <guest/types.hpp>

namespace bh::console {

inline constexpr u16 kCom1 = 0x3f8;

void write(const char* s, usize n);
void puts(const char* s);

} // namespace bh::console

namespace bh {
__attribute__((format(printf, 1, 2))) void print(const char* fmt, ...);
} // namespace bh
