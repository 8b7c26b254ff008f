// SPDX-License-Identifier: GPL-2.0-only
// The host console: a PL011 the hypervisor drives by polling.
#include "platform.hpp"

#include <arch/console.hpp>
#include <arch/sysreg.hpp>

namespace bh::arch {

void console_write(const char* s, usize n) {
    u64 base = aarch64::platform().uart;
    constexpr u64 kDr = 0x00, kFr = 0x18;
    constexpr u32 kFrTxff = 1u << 5;
    for (usize i = 0; i < n; ++i) {
        if (s[i] == '\n') {
            while (aarch64::mmio_read<u32>(base + kFr) & kFrTxff) cpu_relax();
            aarch64::mmio_write<u32>(base + kDr, '\r');
        }
        while (aarch64::mmio_read<u32>(base + kFr) & kFrTxff) cpu_relax();
        aarch64::mmio_write<u32>(base + kDr, static_cast<u8>(s[i]));
    }
}

} // namespace bh::arch
