// SPDX-License-Identifier: GPL-2.0-only
// Fixed-width integer types for test zones. Built from the compiler's own
// predefined macros so that no libc header is needed.
#pragma once

namespace bh {

using u8 = __UINT8_TYPE__;
using u16 = __UINT16_TYPE__;
using u32 = __UINT32_TYPE__;
using u64 = __UINT64_TYPE__;
using i32 = __INT32_TYPE__;
using i64 = __INT64_TYPE__;
using usize = __SIZE_TYPE__;
using uptr = __UINTPTR_TYPE__;

} // namespace bh
