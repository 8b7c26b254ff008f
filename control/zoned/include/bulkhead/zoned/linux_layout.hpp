// SPDX-License-Identifier: GPL-2.0-only
// Where a Linux zone's pieces go in its RAM, and the BH_HC_ZONE_BOOT_LINUX
// descriptor that tells the hypervisor (bulkhead/abi/linux_boot.h). Pure
// functions, so the host's unit tests check every refusal of both
// architectures; DeviceHypervisor does the copying.
//   arm64: the Image at the RAM base plus its text_offset, the initrd at the
//     top of RAM just below the 64 KiB the hypervisor writes the device tree
//     into (as tests/guests/aarch64/zones/linux_launcher.cpp lays zones out).
//   x86-64 (RAM from 0): the kernel file (a PVH vmlinux or a bzImage) just
//     above where the kernel will run, which the hypervisor copies it to;
//     the initrd at the top of RAM below the hypervisor's start-up tables,
//     where it stays (x86_linux_layout.cpp).
#pragma once

#include <bulkhead/zoned/zone_arch.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace bh::zoned {

struct LinuxLayout {
    std::uint64_t kernel_ipa = 0; // where the kernel's file is loaded
    std::uint64_t initrd_ipa = 0; // 0 without an initrd
};

// Checks the kernel is one `arch` boots and that kernel and initrd fit
// `ram_bytes` without overlapping each other or the hypervisor's boot data.
// Throws std::invalid_argument saying what is wrong, in words for a user
// who passed the wrong file or too little memory.
LinuxLayout plan_linux_layout(ZoneArch arch, std::span<const std::uint8_t> kernel, std::uint64_t initrd_size,
                              std::uint64_t ram_bytes);

// The two architectures' planners (plan_linux_layout picks one).
// arm64: the Image header (magic "ARM\x64" at 56, text_offset, image_size).
LinuxLayout plan_arm64_linux_layout(std::span<const std::uint8_t> image, std::uint64_t initrd_size,
                                    std::uint64_t ram_bytes);
// x86-64: an ELF vmlinux with the PVH entry note (its PT_LOAD segments'
// physical addresses) or a bzImage with a 64-bit entry (pref_address,
// init_size); the hypervisor checks the kernel again before it boots it.
LinuxLayout plan_x86_64_linux_layout(std::span<const std::uint8_t> kernel, std::uint64_t initrd_size,
                                     std::uint64_t ram_bytes);

// struct bh_linux_boot followed by its strings (bootargs, command, args,
// env; each NUL-terminated), ready for BULKHEAD_ZONE_BOOT_LINUX.
std::vector<std::uint8_t> linux_boot_descriptor(const LinuxLayout& layout, std::uint64_t kernel_size,
                                                std::uint64_t initrd_size, const std::string& bootargs,
                                                const std::vector<std::string>& argv,
                                                const std::vector<std::string>& env);

} // namespace bh::zoned
