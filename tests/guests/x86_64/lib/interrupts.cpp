// SPDX-License-Identifier: GPL-2.0-only
#include <guest/interrupts.hpp>
#include <guest/lapic.hpp>

namespace bh::interrupts {

void init_boot_vcpu() {
    lapic::init(true);
    asm volatile("sti" ::: "memory");
}

} // namespace bh::interrupts
