// SPDX-License-Identifier: GPL-2.0-only
// A zone whose vCPUs start each other as fast as they can (PSCI CPU_ON on
// arm64, BH_HC_VCPU_ON on x86), forever: the destroy-race manager stops and
// destroys it while they do. Whatever a start returns is fine; what counts
// is that the hypervisor never runs a vCPU of a zone it has destroyed.
#include <guest/cpu.hpp>
#include <guest/hypercall.hpp>
#include <guest/smp.hpp>
#include <guest/zone.hpp>

using namespace bh;

namespace {

u32 vcpus = 1;

void hammer(u64) {
    u32 me = this_vcpu();
    for (;;)
        for (u32 v = 0; v < vcpus; ++v)
            if (v != me) (void)smp::start_vcpu(v, hammer, 0);
}

} // namespace

extern "C" void zone_main(u64) {
    vcpus = static_cast<u32>(hc::zone_self().vcpus);
    hammer(0);
}
