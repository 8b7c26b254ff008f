// SPDX-License-Identifier: GPL-2.0-only
// Which CR4 values a zone may load. The enables of features CPUID hides
// from zones (cpuid_policy.cpp) are refused with #GP, as a CPU without the
// feature refuses them, so the state those features add (PKRU; XCR0 and
// every XSAVE component beyond FXSAVE's x87/SSE, such as the upper halves
// of the YMM registers; CET, Key Locker and user-interrupt state) never
// holds anything of a zone's and never has to be switched between zones.
// KVM does the same for a guest whose CPUID lacks a feature. Pure code,
// tested on the host.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::x86_64 {

// CR4 bits (SDM vol. 3 2.5; AMD APM vol. 2 3.1.3).
namespace cr4 {
inline constexpr u64 kVme = 1u << 0, kPvi = 1u << 1, kTsd = 1u << 2, kDe = 1u << 3, kPse = 1u << 4, kPae = 1u << 5,
                     kMce = 1u << 6, kPge = 1u << 7, kPce = 1u << 8, kOsfxsr = 1u << 9, kOsxmmexcpt = 1u << 10,
                     kUmip = 1u << 11, kLa57 = 1u << 12, kVmxe = 1u << 13, kSmxe = 1u << 14, kFsgsbase = 1u << 16,
                     kPcide = 1u << 17, kOsxsave = 1u << 18, kKl = 1u << 19, kSmep = 1u << 20, kSmap = 1u << 21,
                     kPke = 1u << 22, kCet = 1u << 23, kPks = 1u << 24, kUintr = 1u << 25;
} // namespace cr4

// Refused whatever the CPU has: nested VMX and SMX, XSAVE, protection keys
// (user and supervisor), CET, Key Locker, user interrupts.
inline constexpr u64 kCr4Refused =
    cr4::kVmxe | cr4::kSmxe | cr4::kOsxsave | cr4::kKl | cr4::kPke | cr4::kCet | cr4::kPks | cr4::kUintr;

struct Cr4Write {
    u64 value;      // what the zone asks for
    u64 old;        // CR4 now
    u64 supported;  // the bits this CPU implements
    u64 cr3;        // PCIDE may only be set with CR3[11:0] = 0
    bool long_mode; // EFER.LMA
};

// The checks MOV to CR4 makes (SDM vol. 2 "MOV - Move to/from Control
// Registers"), plus the refused bits. False: #GP, CR4 unchanged.
[[nodiscard]] constexpr bool cr4_write_allowed(const Cr4Write& w) {
    if (w.value & (~w.supported | kCr4Refused)) return false;
    if (w.long_mode && !(w.value & cr4::kPae)) return false;           // PAE stays on in IA-32e mode
    if (w.long_mode && ((w.value ^ w.old) & cr4::kLa57)) return false; // so does the paging depth
    if ((w.value & cr4::kPcide) && !(w.old & cr4::kPcide) && (!w.long_mode || (w.cr3 & 0xfff))) return false;
    return true;
}

// The CR4 bits this CPU implements (CPUID), for emulated CR4 writes.
u64 cr4_supported();

} // namespace bh::x86_64
