// SPDX-License-Identifier: GPL-2.0-only
// Accesses that are expected to fault (x86). Each probe arms the calling
// vCPU's exception handler, makes exactly one access and reports whether it
// raised an exception; the handler resumes after the access instead of
// crashing. Under fault policy "abort" Bulkhead injects #GP(0).
#pragma once

#include <guest/types.hpp>

namespace bh::probe {

inline constexpr u32 kVectorGp = 13;
inline constexpr u32 kVectorUd = 6;
inline constexpr u32 kVectorDb = 1;

struct Result {
    bool faulted;
    u32 vector; // the exception, if it faulted
    u64 error;  // its error code
    u64 value;  // what a read returned (meaningless if it faulted)
};

Result read32(u64 addr);
Result write32(u64 addr, u32 value);
// Calls addr; a fault on the fetch there returns here. Only point it at
// memory that must not be reachable.
Result exec(u64 addr);
// An ADD to memory and a 32-bit string move from addr: instructions a
// device page's emulation refuses.
Result add32(u64 addr, u32 value);
Result movs32(u64 addr);
Result rdmsr(u32 msr);
// fn(arg), with any exception inside fn ending it: then `faulted` and the
// exception are reported, else `value` is what fn returned. For single
// privileged or feature-gated instructions a test wraps in a small function.
Result call(u64 (*fn)(u64), u64 arg = 0);
Result wrmsr(u32 msr, u64 value);

} // namespace bh::probe
