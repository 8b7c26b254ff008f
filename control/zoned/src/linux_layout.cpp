// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/linux_layout.hpp>

#include <bulkhead/abi/linux_boot.h>

#include <cstring>
#include <stdexcept>

namespace bh::zoned {

namespace {

constexpr std::size_t kHeaderBytes = 64;
constexpr std::uint64_t kPage = 4096;

std::uint64_t le64(std::span<const std::uint8_t> b, std::size_t at) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) v |= std::uint64_t(b[at + i]) << (8 * i);
    return v;
}

std::string mib(std::uint64_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB"; }

} // namespace

LinuxLayout plan_linux_layout(std::span<const std::uint8_t> image, std::uint64_t initrd_size, std::uint64_t ram_bytes) {
    if (image.size() < kHeaderBytes || std::memcmp(image.data() + 56, "ARM\x64", 4) != 0)
        throw std::invalid_argument("the kernel is not an arm64 Linux Image (no \"ARM\\x64\" magic at byte 56)");
    std::uint64_t text_offset = le64(image, 8);
    std::uint64_t image_size = le64(image, 16);
    // image_size 0: a kernel older than 3.17; its file is all it needs.
    std::uint64_t footprint = image_size != 0 ? image_size : image.size();
    if (image_size != 0 && image_size < image.size())
        throw std::invalid_argument("the kernel's header says it is smaller than its file: not a valid Image");
    std::uint64_t usable = ram_bytes > BH_LINUX_BOOT_FDT_BYTES ? ram_bytes - BH_LINUX_BOOT_FDT_BYTES : 0;
    if (text_offset >= usable || footprint > usable - text_offset)
        throw std::invalid_argument("the kernel needs " + mib(text_offset + footprint) + " of the zone's " +
                                    mib(ram_bytes) + ": give the zone more --memory");
    LinuxLayout l;
    l.kernel_ipa = kZoneRamBase + text_offset;
    if (initrd_size == 0) return l;
    std::uint64_t kernel_end = text_offset + footprint;
    if (initrd_size > usable - kernel_end)
        throw std::invalid_argument("the kernel and initrd need " + mib(kernel_end + initrd_size) + " of the zone's " +
                                    mib(ram_bytes) + ": give the zone more --memory");
    // As high as it goes, page-aligned: the kernel's bss and early
    // allocations grow up from its end.
    l.initrd_ipa = kZoneRamBase + ((usable - initrd_size) & ~(kPage - 1));
    if (l.initrd_ipa < kZoneRamBase + kernel_end)
        throw std::invalid_argument("the initrd does not fit between the kernel and the device tree: give the "
                                    "zone more --memory");
    return l;
}

std::vector<std::uint8_t> linux_boot_descriptor(const LinuxLayout& layout, std::uint64_t kernel_size,
                                                std::uint64_t initrd_size, const std::string& bootargs,
                                                const std::vector<std::string>& argv,
                                                const std::vector<std::string>& env) {
    std::string strings;
    auto add_list = [&](auto first, auto last) {
        std::size_t before = strings.size();
        for (auto it = first; it != last; ++it) strings.append(*it).push_back('\0');
        return static_cast<std::uint32_t>(strings.size() - before);
    };
    bh_linux_boot d{};
    d.kernel_ipa = layout.kernel_ipa;
    d.kernel_size = kernel_size;
    d.initrd_ipa = layout.initrd_ipa;
    d.initrd_size = layout.initrd_ipa != 0 ? initrd_size : 0;
    if (!bootargs.empty()) d.bootargs_len = add_list(&bootargs, &bootargs + 1);
    if (!argv.empty()) {
        d.command_len = add_list(argv.begin(), argv.begin() + 1);
        d.args_len = add_list(argv.begin() + 1, argv.end());
        d.env_len = add_list(env.begin(), env.end());
    }
    if (strings.size() > BH_LINUX_BOOT_STRINGS_MAX)
        throw std::invalid_argument("the command line, workload and environment are " + std::to_string(strings.size()) +
                                    " bytes together; at most " + std::to_string(BH_LINUX_BOOT_STRINGS_MAX));
    std::vector<std::uint8_t> out(sizeof d + strings.size());
    std::memcpy(out.data(), &d, sizeof d);
    std::memcpy(out.data() + sizeof d, strings.data(), strings.size());
    return out;
}

} // namespace bh::zoned
