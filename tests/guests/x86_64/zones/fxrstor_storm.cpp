// SPDX-License-Identifier: GPL-2.0-only
// The fxrstor-race scenario's other half: restores its x87/SSE state with
// FXRSTOR as fast as it can (what every OS does at a context switch, and
// the hypervisor at every vCPU switch) on CPU 1 while the switcher zone
// on CPU 0 goes in and out of its zone. In QEMU's multi-threaded TCG each
// FXRSTOR also rewrites CPU 0's hidden SVM state (docs/architecture.md,
// "QEMU"): the switcher then runs without nested paging or with the
// host's state. Its own state must come through unchanged.
#include <guest/console.hpp>
#include <guest/hypercall.hpp>
#include <guest/testing.hpp>
#include <guest/timer.hpp>

using namespace bh;

namespace {

constexpr u64 kRunMs = 8000;
constexpr u16 kFcw = 0x27f;                // double precision, every exception masked
constexpr u32 kMxcsr = 0x9fc0;             // flush to zero, denormals are zero, all masked
constexpr usize kFxFcw = 0, kFxMxcsr = 24; // offsets in the FXSAVE image

struct alignas(16) FxImage {
    u8 bytes[512];
};
FxImage image, check;

} // namespace

extern "C" void zone_main(u64) {
    test::begin("fxrstor-race-storm");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    asm volatile("fldcw %0" ::"m"(kFcw));
    asm volatile("ldmxcsr %0" ::"m"(kMxcsr));
    asm volatile("fxsave64 %0" : "=m"(image));
    u64 end = timer::counter() + timer::ms_to_ticks(kRunMs), n = 0;
    while (timer::counter() < end) {
        for (int i = 0; i < 256; ++i) asm volatile("fxrstor64 %0" ::"m"(image));
        n += 256;
    }
    asm volatile("fxsave64 %0" : "=m"(check));
    u16 fcw;
    u32 mxcsr;
    __builtin_memcpy(&fcw, check.bytes + kFxFcw, sizeof fcw);
    __builtin_memcpy(&mxcsr, check.bytes + kFxMxcsr, sizeof mxcsr);
    BH_EXPECT_EQ(fcw, kFcw);
    BH_EXPECT_EQ(mxcsr, kMxcsr);
    print("%llu FXRSTORs in %llu ms\n", static_cast<unsigned long long>(n), static_cast<unsigned long long>(kRunMs));
    test::finish();
}
