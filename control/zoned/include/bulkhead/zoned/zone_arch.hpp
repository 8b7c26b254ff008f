// SPDX-License-Identifier: GPL-2.0-only
// The architecture of the zones zoned makes, and what differs with it:
// where a Linux zone's RAM starts, where its virtio-mmio slots are and
// which lines they raise (bulkhead/abi/zone_layout.h), and the shipped
// zone kernel's file. Zones run on the machine their control domain runs
// on, so zoned uses its own build's architecture (kNativeZoneArch, the one
// place that asks the compiler); the layouts take the architecture as an
// argument so that the host's unit tests check both.
#pragma once

#include <cstdint>

namespace bh::zoned {

enum class ZoneArch { arm64, x86_64 };

struct ZoneArchInfo {
    const char* name;                // as `uname -m` says it
    std::uint64_t linux_ram_base;    // a BULKHEAD_ZONE_LINUX zone's RAM starts here
    std::uint64_t virtio_base;       // slot 0's registers
    std::uint32_t virtio_first_line; // slot i raises this line + i (BULKHEAD_ZONE_IRQ)
    const char* kernel_file;         // the shipped zone kernel, in /usr/share/bulkhead/zone
    const char* kernel_kind;         // what --kernel takes, in a user's words
};

const ZoneArchInfo& zone_arch_info(ZoneArch arch);

#if defined(__x86_64__)
inline constexpr ZoneArch kNativeZoneArch = ZoneArch::x86_64;
#elif defined(__aarch64__)
inline constexpr ZoneArch kNativeZoneArch = ZoneArch::arm64;
#else
#error "zoned runs in a Bulkhead control domain: arm64 or x86-64"
#endif

} // namespace bh::zoned
