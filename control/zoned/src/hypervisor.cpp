// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/hypervisor.hpp>

#include <cctype>

namespace bh::zoned {

// A hypervisor without virtio backends (the tests' stubs) has no disks to serve.
void Hypervisor::serve_disks(ZoneHandle, std::uint32_t count) {
    if (count != 0) throw HypervisorError(HvErrc::not_supported, "this hypervisor cannot serve disks to zones");
}

std::string zone_bootargs(const std::string& cmdline, const std::string& fallback,
                          const std::optional<RootDisk>& root) {
    std::string out = cmdline.empty() ? fallback : cmdline;
    if (!root) return out;
    const std::string words = std::string("bulkhead.root=/dev/vda") + (root->read_only ? " bulkhead.root-mode=ro" : "");
    // The first "--" word outside double quotes (Linux's own quoting).
    bool quoted = false;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == '"') quoted = !quoted;
        const bool starts_word = i == 0 || std::isspace(static_cast<unsigned char>(out[i - 1]));
        const bool ends_word =
            i + 2 == out.size() || (i + 2 < out.size() && std::isspace(static_cast<unsigned char>(out[i + 2])));
        if (!quoted && starts_word && out.compare(i, 2, "--") == 0 && ends_word) return out.insert(i, words + " ");
    }
    return out.empty() ? words : out + " " + words;
}

} // namespace bh::zoned
