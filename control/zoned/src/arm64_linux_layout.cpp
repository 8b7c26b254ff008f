// SPDX-License-Identifier: GPL-2.0-only
// arm64: the Image at the RAM base plus its text_offset (Documentation/
// arch/arm64/booting.rst), the initrd as high as it goes below the device
// tree the hypervisor writes at the top of RAM.
#include "layout_bytes.hpp"

#include <bulkhead/zoned/linux_layout.hpp>

#include <bulkhead/abi/linux_boot.h>

#include <cstring>
#include <stdexcept>

namespace bh::zoned {

namespace {

constexpr std::size_t kHeaderBytes = 64;

} // namespace

LinuxLayout plan_arm64_linux_layout(std::span<const std::uint8_t> image, std::uint64_t initrd_size,
                                    std::uint64_t ram_bytes) {
    const std::uint64_t ram_base = zone_arch_info(ZoneArch::arm64).linux_ram_base;
    if (image.size() < kHeaderBytes || std::memcmp(image.data() + 56, "ARM\x64", 4) != 0)
        throw std::invalid_argument("the kernel is not an arm64 Linux Image (no \"ARM\\x64\" magic at byte 56)");
    std::uint64_t text_offset = le_bytes(image, 8, 8);
    std::uint64_t image_size = le_bytes(image, 16, 8);
    // image_size 0: a kernel older than 3.17; its file is all it needs.
    std::uint64_t footprint = image_size != 0 ? image_size : image.size();
    if (image_size != 0 && image_size < image.size())
        throw std::invalid_argument("the kernel's header says it is smaller than its file: not a valid Image");
    std::uint64_t usable = ram_bytes > BH_LINUX_BOOT_FDT_BYTES ? ram_bytes - BH_LINUX_BOOT_FDT_BYTES : 0;
    if (text_offset >= usable || footprint > usable - text_offset)
        throw std::invalid_argument("the kernel needs " + mib(text_offset + footprint) + " of the zone's " +
                                    mib(ram_bytes) + ": give the zone more --memory");
    LinuxLayout l;
    l.kernel_ipa = ram_base + text_offset;
    if (initrd_size == 0) return l;
    std::uint64_t kernel_end = text_offset + footprint;
    if (initrd_size > usable - kernel_end)
        throw std::invalid_argument("the kernel and initrd need " + mib(kernel_end + initrd_size) + " of the zone's " +
                                    mib(ram_bytes) + ": give the zone more --memory");
    // As high as it goes, page-aligned: the kernel's bss and early
    // allocations grow up from its end.
    l.initrd_ipa = ram_base + ((usable - initrd_size) & ~(kPage - 1));
    if (l.initrd_ipa < ram_base + kernel_end)
        throw std::invalid_argument("the initrd does not fit between the kernel and the device tree: give the "
                                    "zone more --memory");
    return l;
}

} // namespace bh::zoned
