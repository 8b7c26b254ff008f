// SPDX-License-Identifier: GPL-2.0-only
#include <arch/i8042.hpp>
#include <bulkhead/abi/hypercall.h>
#include <bulkhead/log.hpp>
#include <bulkhead/vcpu.hpp>
#include <bulkhead/zone.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh::x86_64 {

bool I8042::access(Vcpu& v, DeviceAccess& a) {
    const Response r = respond(port_, a.write, static_cast<u8>(a.value));
    if (!a.write) a.value = r.value;
    if (r.reset) {
        // Zone kernels boot with panic=-1: a reset is how a panic shows.
        char why[112];
        format(why, sizeof why, "i8042 reset (kernel panic or reboot) from vCPU %u at RIP %#llx", v.index,
               static_cast<unsigned long long>(v.ctx.regs.rip));
        zone_end(*v.zone, ZoneState::crashed, BH_EXIT_PSCI_RESET, 0, why);
    }
    return true;
}

} // namespace bh::x86_64
