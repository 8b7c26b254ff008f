// SPDX-License-Identifier: GPL-2.0-only
// What the architecture-neutral parts of the guest library (verdicts,
// console) need from the platform: arm64 / QEMU virt.
#pragma once

#include <guest/bakery.hpp>
#include <guest/console.hpp>
#include <guest/mmio.hpp>
#include <guest/psci.hpp>

namespace bh::platform {

// A bakery lock needs no exclusives: guests run with the MMU off, where
// exclusive accesses to Device memory are not architecturally guaranteed.
using Lock = BakeryLock;

inline void console_put(char c) {
    // A zone's UART is never busy, and QEMU's PL011 never fills; the bound
    // keeps a broken FR from hanging the test silently.
    for (u32 i = 0; i < 100000 && (mmio::read32(console::kUartFr) & console::kFrTxff); ++i) {}
    mmio::write32(console::kUartDr, static_cast<u8>(c));
}

// Without a hypervisor (bare QEMU at EL1), QEMU's PSCI ends the machine.
inline void power_off_bare() { psci::system_off(); }

} // namespace bh::platform
