// SPDX-License-Identifier: GPL-2.0-only
// Where a Linux zone's pieces go in its RAM, and the BH_HC_ZONE_BOOT_LINUX
// descriptor that tells the hypervisor (bulkhead/abi/linux_boot.h): the
// arm64 Image at the RAM base plus its text_offset, the initrd at the top
// of RAM just below the 64 KiB the hypervisor writes the device tree into
// (as tests/guests/aarch64/zones/linux_launcher.cpp lays zones out). Pure
// functions, so the host's unit tests check every refusal; DeviceHypervisor
// does the copying.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace bh::zoned {

// Every zone's RAM starts here (docs/hypercalls.md, BH_HC_ZONE_CREATE).
inline constexpr std::uint64_t kZoneRamBase = 0x40000000;

struct LinuxLayout {
    std::uint64_t kernel_ipa = 0;
    std::uint64_t initrd_ipa = 0; // 0 without an initrd
};

// Checks the Image header (magic "ARM\x64" at 56, text_offset, image_size)
// and that kernel and initrd fit `ram_bytes` without overlapping each other
// or the device tree. Throws std::invalid_argument saying what is wrong,
// in words for a user who passed the wrong file.
LinuxLayout plan_linux_layout(std::span<const std::uint8_t> image, std::uint64_t initrd_size, std::uint64_t ram_bytes);

// struct bh_linux_boot followed by its strings (bootargs, command, args,
// env; each NUL-terminated), ready for BULKHEAD_ZONE_BOOT_LINUX.
std::vector<std::uint8_t> linux_boot_descriptor(const LinuxLayout& layout, std::uint64_t kernel_size,
                                                std::uint64_t initrd_size, const std::string& bootargs,
                                                const std::vector<std::string>& argv,
                                                const std::vector<std::string>& env);

} // namespace bh::zoned
