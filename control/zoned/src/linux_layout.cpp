// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/linux_layout.hpp>

#include <bulkhead/abi/linux_boot.h>

#include <cstring>
#include <stdexcept>

namespace bh::zoned {

LinuxLayout plan_linux_layout(ZoneArch arch, std::span<const std::uint8_t> kernel, std::uint64_t initrd_size,
                              std::uint64_t ram_bytes) {
    return arch == ZoneArch::x86_64 ? plan_x86_64_linux_layout(kernel, initrd_size, ram_bytes)
                                    : plan_arm64_linux_layout(kernel, initrd_size, ram_bytes);
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
