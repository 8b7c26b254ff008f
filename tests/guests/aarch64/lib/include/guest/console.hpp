// SPDX-License-Identifier: GPL-2.0-only
// Console output through the (virtual) PL011 at 0x09000000. Each call
// writes its text under a lock, so the lines of two vCPUs never interleave.
#pragma once

#include <guest/types.hpp>

namespace bh::console {

#ifdef BH_GUEST_PLATFORM_XEN
inline constexpr u64 kUart = 0x22000000; // Xen's vpl011 (GUEST_PL011_BASE)
#else
inline constexpr u64 kUart = 0x09000000;
#endif
inline constexpr u64 kUartDr = kUart + 0x000;
inline constexpr u64 kUartFr = kUart + 0x018;
inline constexpr u64 kUartCr = kUart + 0x030;
inline constexpr u32 kFrRxfe = 1u << 4;
inline constexpr u32 kFrTxff = 1u << 5;

void write(const char* s, usize n);
void puts(const char* s); // no newline added

} // namespace bh::console

namespace bh {
// printf subset: %d %i %u %x %X %p %s %c %%, flags '-' '0', width, l/ll/z.
__attribute__((format(printf, 1, 2))) void print(const char* fmt, ...);
} // namespace bh
