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

struct Result {
    bool faulted;
    u32 vector;    // the exception, if it faulted
    u64 error;     // its error code
    u64 value;     // what a read returned (meaningless if it faulted)
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
Result wrmsr(u32 msr, u64 value);

} // namespace bh::probe
