// SPDX-License-Identifier: GPL-2.0-only
#include <guest/cpu.hpp>
#include <guest/gic.hpp>
#include <guest/interrupts.hpp>

namespace bh::interrupts {

void init_boot_vcpu() {
    gic::init_distributor();
    gic::init_cpu();
    irq_enable();
}

} // namespace bh::interrupts
