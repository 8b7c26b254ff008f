// SPDX-License-Identifier: GPL-2.0-only
// CPUID hides the performance counters, and a zone reading them anyway
// with RDPMC gets #GP, as on a CPU without them: it neither reads the
// host's counters (which count for every zone on the CPU) nor brings its
// zone down.
#include <guest/console.hpp>
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/probe.hpp>
#include <guest/testing.hpp>
#include <guest/zone.hpp>

using namespace bh;

namespace {

u64 rdpmc(u64 counter) {
    u32 lo, hi;
    asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(static_cast<u32>(counter)));
    return (u64(hi) << 32) | lo;
}

} // namespace

extern "C" void zone_main(u64) {
    test::begin("rdpmc");
    if (!hc::in_zone()) test::skip("needs the hypervisor");
    Cpuid pmu = cpuid(0xa);
    test::check((pmu.eax | pmu.ebx | pmu.ecx | pmu.edx) == 0, "CPUID leaf 0xA shows performance monitoring");
    // General-purpose counters 0 and 1, fixed counters 0 and 1 (bit 30).
    const u32 counters[] = {0, 1, 0x40000000, 0x40000001};
    for (u32 c : counters) {
        probe::Result r = probe::call(rdpmc, c);
        test::check(r.faulted && r.vector == probe::kVectorGp, "RDPMC 0x%x: %s", c,
                    r.faulted ? "an exception other than #GP" : "no #GP, it read a counter");
        if (r.faulted) print("RDPMC 0x%x: exception %u\n", c, r.vector);
    }
    test::finish();
}
