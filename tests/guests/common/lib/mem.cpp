// SPDX-License-Identifier: GPL-2.0-only
// The four functions a freestanding C++ compiler may call on its own
// (struct copies, zero-initialisation). Byte loops: with the MMU off every
// access must be naturally aligned, and speed does not matter here. Built
// with -fno-tree-loop-distribute-patterns so these loops do not become calls
// to themselves.
#include <guest/types.hpp>

using bh::u8;
using bh::usize;

extern "C" {

void* memset(void* dst, int c, usize n) {
    u8* d = static_cast<u8*>(dst);
    for (usize i = 0; i < n; ++i) d[i] = static_cast<u8>(c);
    return dst;
}

void* memcpy(void* dst, const void* src, usize n) {
    u8* d = static_cast<u8*>(dst);
    const u8* s = static_cast<const u8*>(src);
    for (usize i = 0; i < n; ++i) d[i] = s[i];
    return dst;
}

void* memmove(void* dst, const void* src, usize n) {
    u8* d = static_cast<u8*>(dst);
    const u8* s = static_cast<const u8*>(src);
    if (d < s) {
        for (usize i = 0; i < n; ++i) d[i] = s[i];
    } else {
        for (usize i = n; i > 0; --i) d[i - 1] = s[i - 1];
    }
    return dst;
}

int memcmp(const void* a, const void* b, usize n) {
    const u8* x = static_cast<const u8*>(a);
    const u8* y = static_cast<const u8*>(b);
    for (usize i = 0; i < n; ++i)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}
}
